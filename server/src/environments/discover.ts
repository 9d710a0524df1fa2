// Finding the environments of a workspace folder (docs/environments.md): every top-level
// kustomization (one that no other kustomization includes through resources or components), every
// Helm chart that no kustomization inflates (once with its values.yaml, once per values-*.yaml or
// values.*.yaml beside it), and the plain environment `.` of the manifests that no environment
// reads. The `netpolLens.environments` setting then adds, names, excludes or tunes them. Pure: the
// caller lists the folder's files and reads the few small ones asked for.

import * as path from 'node:path';
import { isManifestName } from '../protocol/manifestFiles';
import type { EnvironmentSetting } from '../settings';
import { isRemote, KUSTOMIZATION_FILES, type KustomizationRefs, readKustomization } from './kustomization';
import type { Environment } from './types';

/** The files of a workspace folder as discovery sees them. */
export interface FileView {
  /** Every regular file under the folder: '/'-separated relative paths. */
  readonly files: readonly string[];
  /** A small file's text (kustomization files), or undefined when it cannot be read. */
  read(rel: string): string | undefined;
}

export interface Discovery {
  /** Sorted by name; the plain environment `.` first when there is one. */
  readonly environments: readonly Environment[];
  /** Settings entries that match nothing, and similar. */
  readonly warnings: readonly string[];
  /** The parsed kustomization files (relative path -> what they name). */
  readonly kustomizations: ReadonlyMap<string, KustomizationRefs>;
}

export const PLAIN = '.';

const VALUES = /^values[-.].+\.ya?ml$/i;

function dirOf(rel: string): string {
  const d = path.posix.dirname(rel);
  return d === '.' ? '' : d;
}

/** `dir/ref` normalised, or undefined when it leaves the folder. */
function join(dir: string, ref: string): string | undefined {
  if (ref.startsWith('/') || /^[a-z]:[\\/]/i.test(ref)) return undefined;
  const p = path.posix.normalize(path.posix.join(dir || '.', ref.replace(/\\/g, '/'))).replace(/\/$/, '');
  if (p === '..' || p.startsWith('../')) return undefined;
  return p === '.' ? '' : p;
}

function under(dir: string, rel: string): boolean {
  return dir === '' || rel.startsWith(`${dir}/`);
}

/** The environment name of a folder: its path, `./` for the workspace folder itself. */
function nameOf(dir: string): string {
  return dir === '' ? './' : dir;
}

class Finder {
  readonly fileSet: ReadonlySet<string>;
  /** folder -> its kustomization file */
  readonly kustFile = new Map<string, string>();
  readonly kusts = new Map<string, KustomizationRefs>();
  /** Chart folders (with Chart.yaml). */
  readonly charts: string[] = [];
  readonly inflated = new Set<string>();

  constructor(readonly view: FileView) {
    this.fileSet = new Set(view.files);
    for (const f of view.files) {
      const base = path.posix.basename(f);
      const dir = dirOf(f);
      if (KUSTOMIZATION_FILES.includes(base)) {
        const prev = this.kustFile.get(dir);
        if (!prev || KUSTOMIZATION_FILES.indexOf(base) < KUSTOMIZATION_FILES.indexOf(path.posix.basename(prev))) {
          this.kustFile.set(dir, f);
        }
      } else if (base === 'Chart.yaml') this.charts.push(dir);
    }
    for (const [, f] of this.kustFile) this.kusts.set(f, readKustomization(view.read(f) ?? ''));
  }

  /** What one kustomization reads directly: included kustomization folders, files, charts. */
  direct(dir: string): { includes: string[]; files: string[]; charts: string[]; external: boolean } {
    const k = this.kusts.get(this.kustFile.get(dir)!)!;
    const includes: string[] = [];
    const files: string[] = [];
    const charts: string[] = [];
    let external = false;
    const add = (ref: string, asFolder: boolean): void => {
      if (isRemote(ref)) {
        external = true;
        return;
      }
      const p = join(dir, ref);
      if (p === undefined) external = true;
      else if (this.fileSet.has(p)) files.push(p);
      else if (asFolder && this.kustFile.has(p)) includes.push(p);
    };
    for (const r of [...k.resources, ...k.components, ...k.plugins]) add(r, true);
    for (const f of k.files) add(f, false);
    for (const c of k.helmCharts) {
      const home = join(dir, k.chartHome ?? 'charts');
      const chart = home === undefined ? undefined : join(home, c.name);
      if (chart !== undefined && this.fileSet.has(chart ? `${chart}/Chart.yaml` : 'Chart.yaml')) charts.push(chart);
      else external = true; // a chart from a repository
      for (const v of c.valuesFiles) add(v, false);
    }
    return { includes, files, charts, external };
  }

  /** Every file a kustomization reads, through the kustomizations it includes. */
  closure(dir: string): { inputs: string[]; external: boolean } {
    const inputs = new Set<string>();
    let external = false;
    const seen = new Set<string>();
    const visit = (d: string): void => {
      if (seen.has(d)) return;
      seen.add(d);
      inputs.add(this.kustFile.get(d)!);
      const r = this.direct(d);
      external ||= r.external;
      for (const f of r.files) inputs.add(f);
      for (const c of r.charts) for (const f of this.view.files) if (under(c, f)) inputs.add(f);
      for (const i of r.includes) visit(i);
    };
    visit(dir);
    return { inputs: [...inputs].sort(), external };
  }

  topLevelKustomizations(): string[] {
    const included = new Set<string>();
    for (const dir of this.kustFile.keys()) {
      const r = this.direct(dir);
      for (const i of r.includes) if (i !== dir) included.add(i);
      for (const c of r.charts) this.inflated.add(c);
    }
    return [...this.kustFile.keys()].filter((d) => !included.has(d)).sort();
  }

  kustomizeEnv(dir: string, configured = false): Environment {
    const { inputs, external } = this.closure(dir);
    return {
      name: nameOf(dir),
      kind: 'kustomize',
      dir,
      definition: this.kustFile.get(dir),
      inputs,
      ...(external ? { external } : {}),
      ...(configured ? { configured } : {}),
    };
  }

  /** The chart folders that are environments: not inflated by a kustomization, not inside another chart. */
  topLevelCharts(): string[] {
    return this.charts.filter((c) => !this.inflated.has(c) && !this.charts.some((o) => o !== c && under(o, c))).sort();
  }

  valuesVariants(chart: string): string[] {
    return this.view.files
      .filter((f) => dirOf(f) === chart && VALUES.test(path.posix.basename(f)))
      .map((f) => path.posix.basename(f))
      .sort();
  }

  helmEnv(chart: string, values: readonly string[], name?: string, configured = false): Environment {
    const used = new Set(values.map((v) => join(chart, v)));
    const others = new Set(this.valuesVariants(chart).map((v) => join(chart, v)));
    const inputs = this.view.files.filter((f) => under(chart, f) && (used.has(f) || !others.has(f)));
    for (const v of used) if (v !== undefined && !inputs.includes(v) && this.fileSet.has(v)) inputs.push(v);
    const external = values.some((v) => join(chart, v) === undefined);
    return {
      name: name ?? (values.length ? `${nameOf(chart)}@${values.join('+')}` : nameOf(chart)),
      kind: 'helm',
      dir: chart,
      definition: chart ? `${chart}/Chart.yaml` : 'Chart.yaml',
      inputs: inputs.sort(),
      values,
      ...(external ? { external } : {}),
      ...(configured ? { configured } : {}),
    };
  }

  chartEnvs(chart: string): Environment[] {
    return [this.helmEnv(chart, []), ...this.valuesVariants(chart).map((v) => this.helmEnv(chart, [v]))];
  }

  isChartFile(rel: string): boolean {
    return this.charts.some((c) => under(c, rel));
  }
}

/** Applies the `netpolLens.environments` entries to the environments found. */
function applySettings(
  finder: Finder,
  found: Environment[],
  entries: readonly EnvironmentSetting[],
  warnings: string[],
): Environment[] {
  let envs = [...found];
  entries.forEach((e, i) => {
    const where = `environments[${i}] (${e.path})`;
    const p = e.path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
    const dir = p === '.' ? '' : p;
    const isChart = finder.charts.includes(dir);
    const wantValues = e.valuesFiles;
    const sameValues = (x: Environment): boolean =>
      wantValues === undefined || (x.values ?? []).join('\u0000') === wantValues.join('\u0000');
    let matched = envs.filter(
      (x) => sameValues(x) && (x.name === e.path || x.name === p || (x.dir === dir && x.kind !== 'plain')),
    );
    if (!matched.length) {
      if (isChart && !dir.includes('@')) envs.push(finder.helmEnv(dir, wantValues ?? [], e.name, true));
      else if (finder.kustFile.has(dir)) envs.push(finder.kustomizeEnv(dir, true));
      else {
        warnings.push(`${where}: no kustomization or Helm chart in that folder, and no environment of that name`);
        return;
      }
      matched = [envs[envs.length - 1]];
    }
    if (e.name !== undefined && matched.length > 1) {
      warnings.push(`${where}: names ${matched.length} environments; give valuesFiles to pick one`);
    }
    envs = envs.map((x) => {
      if (!matched.includes(x)) return x;
      const tuned: Environment = {
        ...x,
        ...(e.name !== undefined && matched.length === 1 ? { name: e.name } : {}),
        ...(e.releaseName !== undefined ? { releaseName: e.releaseName } : {}),
        ...(e.namespace !== undefined ? { namespace: e.namespace } : {}),
        ...(e.flags !== undefined ? { flags: e.flags } : {}),
      };
      return e.exclude ? { ...tuned, excluded: true } : tuned;
    });
  });
  return envs;
}

/** The environments of a workspace folder. */
export function discoverEnvironments(view: FileView, entries: readonly EnvironmentSetting[] = []): Discovery {
  const finder = new Finder(view);
  const warnings: string[] = [];
  const found: Environment[] = [
    ...finder.topLevelKustomizations().map((d) => finder.kustomizeEnv(d)),
    ...finder.topLevelCharts().flatMap((c) => finder.chartEnvs(c)),
  ];
  const all = applySettings(finder, found, entries, warnings) as (Environment & { excluded?: boolean })[];
  const rendered = all.filter((e) => !e.excluded);
  const read = new Set<string>();
  for (const e of rendered) for (const f of e.inputs) read.add(f);
  const renderedCharts = new Set(rendered.filter((e) => e.kind === 'helm').map((e) => e.dir));
  const plainFiles = view.files.filter(
    (f) =>
      isManifestName(f) &&
      !read.has(f) &&
      !(finder.isChartFile(f) && [...renderedCharts, ...finder.inflated].some((c) => under(c, f))),
  );
  const names = new Set<string>();
  const environments: Environment[] = [];
  if (plainFiles.length) {
    environments.push({ name: PLAIN, kind: 'plain', dir: '', inputs: [...plainFiles].sort() });
    names.add(PLAIN);
  }
  for (const e of [...rendered].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (names.has(e.name)) {
      warnings.push(`two environments are named ${e.name}; the second one is left out (name it in the settings)`);
      continue;
    }
    names.add(e.name);
    environments.push(e);
  }
  return { environments, warnings, kustomizations: finder.kusts };
}

/** The environments a file feeds: those whose render reads it (the plain environment: its manifests). */
export function environmentsFeeding(envs: readonly Environment[], rel: string): string[] {
  return envs.filter((e) => e.inputs.includes(rel) || (e.kind === 'helm' && under(e.dir, rel))).map((e) => e.name);
}

/** Whether a change to this file can change which environments exist (a kustomization or a chart appears). */
export function affectsDiscovery(rel: string): boolean {
  const base = path.posix.basename(rel);
  return KUSTOMIZATION_FILES.includes(base) || base === 'Chart.yaml' || VALUES.test(base);
}
