// The answers of the custom requests, computed on the current model of the workspace index: the
// connectivity (once per built world), the namespaces and the one a document is about, the traffic
// diagram, and the connectivity diff against a base version. No connection here: the caller gives
// a log function, and requests.ts unpacks the wire parameters.

import { computeConnectivity, type Connectivity } from '../analysis/connectivity';
import { diffConnectivity } from '../analysis/diff';
import { diffMarkdown } from '../analysis/diffReport';
import { inventoryOf } from '../analysis/inventory';
import type { World } from '../analysis/world';
import { buildDiagram } from '../diagram/mermaid';
import { pickNamespace } from '../diagram/namespace';
import type { K8sObject } from '../model/resources';
import type { DiagramParams, DiagramResult, DiffResult, NamespacesResult } from '../protocol';
import type { WorkspaceIndex } from '../workspace/index';
import { diffEnvironments } from './environmentDiff';
import { chooseEnvironment, connectivityOf, EMPTY_WORLD, environmentNames, placeDiagram } from './environmentQueries';
import type { EnvironmentsService } from './environments';

/** A file of the base version: its text there, or null when the base has no such file. */
export interface BaseFile {
  readonly uri: string;
  readonly text: string | null;
}

export class ModelQueries {
  private connCache: { world: World; conn: Connectivity } | null = null;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly log: (message: string) => void,
    private readonly envs?: EnvironmentsService,
  ) {}

  /** Connectivity of the current world (computed once per built world). */
  connectivity(): Connectivity {
    const world = this.index.world();
    if (this.connCache?.world !== world) this.connCache = { world, conn: computeConnectivity(world) };
    return this.connCache.conn;
  }

  /** The traffic diagram; without a namespace, the one the document `uri` is about. */
  diagram(params: DiagramParams): DiagramResult {
    const choice = chooseEnvironment(this.envs, params.environment, params.uri, this.index.settings.defaultNamespace);
    if (!choice) return buildDiagram(this.index.world(), this.connectivity(), params);
    const picked = { environment: choice.name, environments: choice.names };
    if (choice.rendered) {
      const { session, r, world } = choice.rendered;
      return { ...placeDiagram(buildDiagram(world, connectivityOf(world), params), session, r), ...picked };
    }
    if (choice.problem) {
      const empty = buildDiagram(EMPTY_WORLD, connectivityOf(EMPTY_WORLD), params);
      return { ...empty, ...picked, environmentProblem: choice.problem, message: choice.problem };
    }
    return { ...buildDiagram(this.index.world(), this.connectivity(), params), ...picked };
  }

  /**
   * The namespaces of the workspace, and with `uri` the one the document is about: the namespace
   * of the object at `line` when given, else the diagram's choice for the document.
   */
  namespaces(uri?: string, line?: number): NamespacesResult {
    const world = this.index.world();
    const namespaces = [...world.namespaces.keys()].sort();
    if (uri === undefined) return { namespaces };
    const atLine = line === undefined ? '' : this.namespaceAtLine(world, uri, line);
    const active =
      atLine ||
      pickNamespace(
        world,
        namespaces.filter((n) => n !== ''),
        { uri },
      ).ns;
    return active ? { namespaces, active } : { namespaces };
  }

  /** The namespace of the object of `uri` that spans `line` ('' when none, or it has none). */
  private namespaceAtLine(world: World, uri: string, line: number): string {
    const hit = inventoryOf(world)
      .objectsOfFile(uri)
      .find((o) => o.doc.positionAt(o.node.s).line <= line && line <= o.doc.positionAt(o.node.e).line);
    const ns = hit ? namespaceOfObject(world, hit) : '';
    return world.namespaces.has(ns) ? ns : '';
  }

  /**
   * The connectivity changes from a base version of some files to the workspace as it is now: the
   * plain manifests, then each rendered environment that reads one of the files.
   */
  async diff(base: readonly BaseFile[], namespace: string | undefined, title: string): Promise<DiffResult> {
    const plain = this.plainDiff(base, namespace, title);
    const names = environmentNames(this.envs);
    if (!this.envs || !names.length) return plain;
    const envs = await diffEnvironments(this.envs, base, {
      namespace,
      title,
      defaultNamespace: this.index.settings.defaultNamespace,
    });
    // with environment sections after it, the plain part says what it is about
    const plainPart = !envs.length
      ? plain.markdown
      : plain.markdown.replace(/^## (.*)$/m, (_, t: string) => `## ${t} — . (plain manifests)`);
    const unchanged = names.filter((n) => n !== '.' && !envs.some((e) => e.env === n));
    const note = unchanged.length ? `\nUnchanged (no file they read differs): ${unchanged.join(', ')}.\n` : '';
    return {
      markdown: [plainPart, ...envs.map((e) => e.markdown)].join('\n') + note,
      changes: plain.changes + envs.reduce((n, e) => n + e.changes, 0),
    };
  }

  private plainDiff(base: readonly BaseFile[], namespace: string | undefined, title: string): DiffResult {
    const head = this.connectivity();
    const unknown = base.filter((b) => !this.index.hasFile(b.uri));
    this.log(
      `diff: ${base.length} base file(s), ${base.length - unknown.length} of them indexed${
        unknown.length
          ? ` (not indexed: ${unknown
              .slice(0, 3)
              .map((b) => b.uri)
              .join(', ')})`
          : ''
      }`,
    );
    const before = computeConnectivity(this.index.worldWith(base));
    const d = diffConnectivity(before, head, { namespace });
    return {
      markdown: diffMarkdown(d, false, title),
      changes: d.changes.length + d.workloadsAdded.length + d.workloadsRemoved.length,
    };
  }
}

/** A Namespace object's own name, else the namespace the object lives in. */
function namespaceOfObject(world: World, o: K8sObject): string {
  return o.type === 'namespace' ? (o.name ?? '') : world.namespaceOf(o);
}
