// What a kustomization file names: the resources and components it includes, the files its
// patches, generators and replacements read, the Helm charts it inflates, and the transformers it
// configures (labels, namespace, name prefix and suffix), read leniently (kustomize itself says
// what is wrong when it renders). Used to find environments and to say which kustomization
// changed a rendered value.

import { parse } from 'yaml';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface LabelSetting {
  readonly pairs: Readonly<Record<string, string>>;
  /** Whether the labels are added to selectors too (commonLabels always are). */
  readonly includeSelectors: boolean;
}

export interface KustomizationRefs {
  /** `Component` for kustomize components. */
  readonly kind: string;
  /** resources and bases, as written. */
  readonly resources: readonly string[];
  readonly components: readonly string[];
  /** Files read by patches, generators, replacements, crds, configurations, openapi (as written). */
  readonly files: readonly string[];
  /** transformers / generators / validators entries that are paths (a file or a kustomization folder). */
  readonly plugins: readonly string[];
  readonly helmCharts: readonly { readonly name: string; readonly valuesFiles: readonly string[] }[];
  readonly chartHome?: string;
  readonly namespace?: string;
  readonly labels: readonly LabelSetting[];
  /** The file could not be read as YAML (kustomize will say more). */
  readonly error?: string;
}

type Json = unknown;

function isRecord(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function strings(x: Json): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
}

function records(x: Json): Record<string, Json>[] {
  return Array.isArray(x) ? x.filter(isRecord) : [];
}

function stringMap(x: Json): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(x)) for (const [k, v] of Object.entries(x)) if (v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** A generator's `files` entry: `path` or `key=path`. */
function generatorFile(entry: string): string {
  const eq = entry.indexOf('=');
  return eq >= 0 ? entry.slice(eq + 1) : entry;
}

/** Whether a resource entry is a remote URL (git or HTTP), which the workspace does not hold. */
export function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^git@/.test(ref) || /^(github|gitlab|bitbucket)\.(com|org)\//.test(ref)
  );
}

function patchFiles(k: Record<string, Json>): string[] {
  const out: string[] = [];
  for (const p of records(k.patches)) if (typeof p.path === 'string') out.push(p.path);
  for (const p of records(k.patchesJson6902)) if (typeof p.path === 'string') out.push(p.path);
  // patchesStrategicMerge entries are paths or inline patches (YAML text)
  for (const p of strings(k.patchesStrategicMerge)) if (!p.includes('\n') && !/:\s/.test(p)) out.push(p);
  for (const r of records(k.replacements)) if (typeof r.path === 'string') out.push(r.path);
  for (const g of [...records(k.configMapGenerator), ...records(k.secretGenerator)]) {
    out.push(...strings(g.files).map(generatorFile), ...strings(g.envs));
    if (typeof g.env === 'string') out.push(g.env);
  }
  out.push(...strings(k.crds), ...strings(k.configurations));
  if (isRecord(k.openapi) && typeof k.openapi.path === 'string') out.push(k.openapi.path);
  return out;
}

function labelSettings(k: Record<string, Json>): LabelSetting[] {
  const out: LabelSetting[] = [];
  const common = stringMap(k.commonLabels);
  if (Object.keys(common).length) out.push({ pairs: common, includeSelectors: true });
  for (const l of records(k.labels)) {
    const pairs = stringMap(l.pairs);
    if (Object.keys(pairs).length) out.push({ pairs, includeSelectors: l.includeSelectors === true });
  }
  return out;
}

/** Reads a kustomization file's text. Never throws. */
export function readKustomization(text: string): KustomizationRefs {
  let raw: Json;
  let error: string | undefined;
  try {
    raw = parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch (e) {
    raw = undefined;
    error = (e as Error).message.split('\n')[0];
  }
  const k = isRecord(raw) ? raw : {};
  const helmGlobals = isRecord(k.helmGlobals) ? k.helmGlobals : {};
  return {
    kind: typeof k.kind === 'string' ? k.kind : 'Kustomization',
    resources: [...strings(k.resources), ...strings(k.bases)],
    components: strings(k.components),
    files: patchFiles(k),
    plugins: [...strings(k.transformers), ...strings(k.generators), ...strings(k.validators)],
    helmCharts: records(k.helmCharts)
      .filter((c) => typeof c.name === 'string' && c.name !== '')
      .map((c) => ({
        name: c.name as string,
        valuesFiles: [...(typeof c.valuesFile === 'string' ? [c.valuesFile] : []), ...strings(c.additionalValuesFiles)],
      })),
    chartHome: typeof helmGlobals.chartHome === 'string' ? helmGlobals.chartHome : undefined,
    namespace: typeof k.namespace === 'string' && k.namespace ? k.namespace : undefined,
    labels: labelSettings(k),
    ...(error !== undefined || (raw !== undefined && raw !== null && !isRecord(raw))
      ? { error: error ?? 'the file is not a mapping' }
      : {}),
  };
}
