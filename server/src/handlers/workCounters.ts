// `netpolLens/workCounters`: how much work the server has done since it started (worlds built,
// documents checked or answered from the cache, diagnostics sent, sweeps, model-change notices).
// For the protocol tests and the benchmarks, which count work instead of timing it; the extension
// does not use it.

import { RequestType0 } from 'vscode-languageserver/node';
import type { WorkspaceIndex } from '../workspace/index';
import type { DiagnosticsScheduler } from './diagnostics';
import type { EnvironmentsService } from './environments';
import type { ModelRefresh } from './modelRefresh';

export interface WorkCounters {
  /** Worlds (cluster models) built from the indexed files. */
  readonly worldBuilds: number;
  /** Documents whose rules ran. */
  readonly documentsChecked: number;
  /** Documents whose findings came from the cache. */
  readonly documentsCached: number;
  /** `textDocument/publishDiagnostics` notifications sent. */
  readonly diagnosticsPublished: number;
  /** Passes of the diagnostics scheduler over the workspace. */
  readonly sweeps: number;
  /** Changes of the model reported to the diagram and the CodeLens/inlay-hint refresh. */
  readonly modelChanges: number;
  /** Environments rendered (renders served from the cache not counted). */
  readonly renders: number;
  /** Environments checked (after a render, or a new parse of a file they read). */
  readonly environmentChecks: number;
  /** Background updates of the environments (render what changed, check, publish). */
  readonly environmentUpdates: number;
}

export const WorkCountersRequest = new RequestType0<WorkCounters, void>('netpolLens/workCounters');

/** The work counters once no environment render or check is due (tests and benchmarks wait with it). */
export const IdleWorkCountersRequest = new RequestType0<WorkCounters, void>('netpolLens/workCountersWhenIdle');

export function workCounters(
  index: WorkspaceIndex,
  diagnostics: DiagnosticsScheduler,
  refresh: ModelRefresh,
  envs?: EnvironmentsService,
): WorkCounters {
  return {
    worldBuilds: index.stats.worlds,
    documentsChecked: index.stats.checked,
    documentsCached: index.stats.cached,
    diagnosticsPublished: diagnostics.stats.published,
    sweeps: diagnostics.stats.sweeps,
    modelChanges: refresh.changes,
    renders: envs?.renders ?? 0,
    environmentChecks: envs?.checks ?? 0,
    environmentUpdates: envs?.stats.updates ?? 0,
  };
}
