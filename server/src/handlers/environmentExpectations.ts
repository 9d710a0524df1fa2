// Connectivity expectations documents of the plain manifests, checked in the environments they
// apply to (environments/expectations.ts): their NPX07/NPX08 findings from the index (made on the
// plain world alone) are replaced by those of every environment of the folder.

import { PLAIN } from '../environments/discover';
import { type ExpectationWorld, withExpectationsIn } from '../environments/expectations';
import type { EnvironmentSession } from '../environments/session';
import { renderedWorld } from '../environments/check';
import type { ManifestFile } from '../model/document';
import type { DocFinding } from '../rules/registry';
import type { WorkspaceIndex } from '../workspace/index';

const mentions = new WeakMap<ManifestFile, boolean>();

/** Whether a file's text names the expectations kind (once per parsed file: sweeps ask for every file). */
function mentionsExpectations(file: ManifestFile): boolean {
  let m = mentions.get(file);
  if (m === undefined) mentions.set(file, (m = file.text.includes('ConnectivityExpectations')));
  return m;
}

/** The environments an expectations document can be checked in: the plain world and every rendered one. */
function worldsOf(session: EnvironmentSession, index: WorkspaceIndex): ExpectationWorld[] {
  const out: ExpectationWorld[] = [];
  if (session.discovery.environments.some((e) => e.kind === 'plain')) out.push({ name: PLAIN, world: index.world() });
  for (const env of session.rendered) {
    const r = session.renderOf(env.name);
    if (!r) continue;
    out.push({
      name: env.name,
      world: renderedWorld(r, index.settings.defaultNamespace),
      placeRelated: (f) => ({ ...f, related: (f.related ?? []).flatMap((x) => session.placeRelated(r, x) ?? []) }),
    });
  }
  return out;
}

/** The findings of a plain file with its expectations documents checked in every environment; undefined: none there. */
export function expectationFindings(
  session: EnvironmentSession,
  index: WorkspaceIndex,
  file: ManifestFile,
): DocFinding[] | undefined {
  if (!session.rendered.length || !mentionsExpectations(file)) return undefined;
  return withExpectationsIn(file, index.findings(file.uri), worldsOf(session, index), index.settings);
}
