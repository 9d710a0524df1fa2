// The custom requests (protocol/index.ts) -> the model queries and the workspace service. Each
// handler only unpacks the parameters, which come from any client and are checked field by field
// (a wrong type reads as absent), and calls one function.

import type {
  DiagramParams,
  DiagramResult,
  DiffParams,
  DiffResult,
  NamespacesParams,
  NamespacesResult,
  ReindexResult,
} from '../protocol';
import type { BaseFile, ModelQueries } from './modelQueries';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const fields = (p: unknown): Record<string, unknown> =>
  p && typeof p === 'object' ? (p as Record<string, unknown>) : {};

export class CustomRequests {
  constructor(
    private readonly queries: ModelQueries,
    private readonly reindex: () => Promise<number>,
  ) {}

  namespaces(p: NamespacesParams): NamespacesResult {
    const { uri, position } = fields(p);
    const line = fields(position).line;
    return this.queries.namespaces(str(uri), typeof line === 'number' && line >= 0 ? line : undefined);
  }

  diagram(p: DiagramParams): DiagramResult {
    const f = fields(p);
    const params: DiagramParams = {};
    for (const k of ['namespace', 'uri', 'environment'] as const) if (str(f[k])) params[k] = str(f[k]);
    for (const k of ['showReplies', 'merge'] as const) if (bool(f[k]) !== undefined) params[k] = bool(f[k]);
    if (f.tiers === 'all' || f.tiers === 'networkpolicies') params.tiers = f.tiers;
    return this.queries.diagram(params);
  }

  diff(p: DiffParams): Promise<DiffResult> {
    const f = fields(p);
    const base = Array.isArray(f.base)
      ? (f.base as unknown[]).filter(
          (b): b is BaseFile =>
            typeof fields(b).uri === 'string' && (typeof fields(b).text === 'string' || fields(b).text === null),
        )
      : [];
    return this.queries.diff(base, str(f.namespace), str(f.title) ?? 'Connectivity changes');
  }

  async reindexAll(): Promise<ReindexResult> {
    return { files: await this.reindex() };
  }
}
