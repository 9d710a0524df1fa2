// The cluster model of a set of manifests (docs/semantics.md 0): workloads, namespaces with
// their labels, normalised policies, services. Pure: built from parsed files and options.

import type { ManifestDocument, ManifestFile } from '../model/document';
import {
  type ContainerPort,
  type K8sObject,
  type KustomizationObject,
  type NamespaceObject,
  objectsOf,
  type ServiceObject,
  type TieredPolicyObject,
  type WorkloadObject,
} from '../model/resources';
import { normalizePolicy, type NormPolicy } from './policy';
import type { Labels } from './selectors';
import { readTieredPolicy, type TieredPolicy, tierOrder } from './tiered';

export const NAME_LABEL = 'kubernetes.io/metadata.name';

export interface WorldOptions {
  /** Namespace of objects that name none (default `default`). */
  readonly defaultNamespace?: string;
}

export interface Workload {
  readonly id: number;
  /** `namespace/name[Kind]`, netpol-analyzer's notation. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** The manifests behind the workload (several Pods of one owner); the first one counts. */
  readonly sources: readonly WorkloadObject[];
  /** Pods of the same owner whose labels differ from the first one's. */
  readonly labelConflicts: readonly WorkloadObject[];
}

export interface NamespaceInfo {
  readonly name: string;
  /** Labels, always with kubernetes.io/metadata.name. */
  readonly labels: Labels;
  readonly declared?: NamespaceObject;
}

export interface ServiceInfo {
  readonly obj: ServiceObject;
  readonly namespace: string;
}

export interface Replaced {
  readonly kept: K8sObject;
  readonly replaced: K8sObject;
}

export interface World {
  readonly defaultNamespace: string;
  readonly objects: readonly K8sObject[];
  readonly workloads: readonly Workload[];
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  /** Every NetworkPolicy (valid or not), after replacement of duplicates. */
  readonly policies: readonly NormPolicy[];
  readonly services: readonly ServiceInfo[];
  readonly replaced: readonly Replaced[];
  /** The namespace an object is in (explicit, kustomize, or the default). */
  namespaceOf(obj: K8sObject): string;
  /** Workload that a manifest object belongs to. */
  workloadOf(obj: WorkloadObject): Workload | undefined;
  /** Policies that take part in connectivity. */
  readonly activePolicies: readonly NormPolicy[];
  /** Every admin policy (ANP, BANP, CNP; valid or not), after replacement (docs/semantics.md D.1). */
  readonly tieredPolicies: readonly TieredPolicy[];
  /** The valid policies of the Admin and the Baseline tier, each in evaluation order (docs/semantics.md D.3). */
  readonly adminTier: readonly TieredPolicy[];
  readonly baselineTier: readonly TieredPolicy[];
}

const objectCache = new WeakMap<ManifestDocument, K8sObject[]>();

/** The objects of a document (memoised per parsed document). */
export function documentObjects(uri: string, doc: ManifestDocument): K8sObject[] {
  let objs = objectCache.get(doc);
  if (!objs || (objs.length && objs[0].uri !== uri)) {
    objs = objectsOf(uri, doc);
    objectCache.set(doc, objs);
  }
  return objs;
}

/** What buildWorld reads of an object, in one shape (fast to loop over), cached per document. */
class ObjInfo {
  /** The replacement key `kind\0namespace\0name`, for the namespace `keyNs`. */
  key = '';
  keyNs: string | undefined = undefined;
  readonly type: K8sObject['type'];
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly uri: string;
  readonly clusterScoped: boolean;
  readonly kustomizes: boolean;
  constructor(readonly o: K8sObject) {
    this.type = o.type;
    this.kind = o.kind;
    this.name = o.name || undefined;
    this.namespace = o.namespace || undefined;
    this.uri = o.uri;
    this.clusterScoped = NAMESPACED_CLUSTER_KINDS.has(o.kind);
    this.kustomizes = o.type === 'kustomization' && !!o.kustomizeNamespace;
  }
}

const infoCache = new WeakMap<K8sObject[], ObjInfo[]>();

function documentInfos(uri: string, doc: ManifestDocument): ObjInfo[] {
  const objs = documentObjects(uri, doc);
  let infos = infoCache.get(objs);
  if (!infos) infoCache.set(objs, (infos = objs.map((o) => new ObjInfo(o))));
  return infos;
}

const policyCache = new WeakMap<K8sObject, { ns: string; p: NormPolicy }>();

/** The normalised form of a policy object in a world (also for replaced policies). */
export function normalizedPolicy(world: World, obj: K8sObject & { type: 'policy' }): NormPolicy {
  return policyFor(obj, world.namespaceOf(obj));
}

function policyFor(obj: K8sObject & { type: 'policy' }, ns: string): NormPolicy {
  const c = policyCache.get(obj);
  if (c && c.ns === ns) return c.p;
  const p = normalizePolicy(obj, ns);
  policyCache.set(obj, { ns, p });
  return p;
}

const NAMESPACED_CLUSTER_KINDS = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'GlobalNetworkPolicy',
  'GlobalNetworkSet',
  'CiliumClusterwideNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);

function dirOf(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i === -1 ? '' : uri.slice(0, i + 1);
}

/** Namespaces that kustomization files impose on the files they list (outermost wins). */
function kustomizeNamespaces(files: readonly ManifestFile[], objects: readonly K8sObject[]): Map<string, string> {
  const out = new Map<string, { ns: string; depth: number }>();
  const kusts = objects.filter((o): o is KustomizationObject => o.type === 'kustomization' && !!o.kustomizeNamespace);
  if (!kusts.length) return new Map();
  const uris = files.map((f) => f.uri);
  for (const k of kusts) {
    const base = dirOf(k.uri);
    const depth = base.split('/').length;
    for (const r of k.resources) {
      if (/^[a-z]+:\/\//i.test(r) || r.startsWith('/')) continue;
      let target: string;
      try {
        target = new URL(r, base).toString();
      } catch {
        continue;
      }
      const asDir = target.endsWith('/') ? target : `${target}/`;
      for (const u of uris) {
        if (u === target || u.startsWith(asDir)) {
          const prev = out.get(u);
          if (!prev || prev.depth > depth) out.set(u, { ns: k.kustomizeNamespace!, depth });
        }
      }
    }
  }
  return new Map([...out].map(([u, v]) => [u, v.ns]));
}

/** What a later build may reuse: the objects the inventory part of a world came from. */
interface InventoryBasis {
  readonly objects: readonly K8sObject[];
  readonly namespaces: readonly string[];
  readonly policyNamespaces: string;
  readonly defaultNamespace: string;
}
const bases = new WeakMap<World, InventoryBasis>();

/**
 * Builds the world from files in the order given (callers sort them by path). With `previous`,
 * the workloads, namespaces and Services of the previous world are reused (same objects) when the
 * manifests they come from did not change, so that caches keyed by them stay valid.
 */
export function buildWorld(files: readonly ManifestFile[], opts: WorldOptions = {}, previous?: World): World {
  const defaultNamespace = opts.defaultNamespace || 'default';
  // objects in order (a later object with the same kind/namespace/name replaces an earlier one), by
  // type; then the inventory (workloads, namespaces, Services), reused when its objects are the same
  const { all, hasKustomization } = collectInfos(files);
  const kustNs = hasKustomization
    ? kustomizeNamespaces(
        files,
        all.map((i) => i.o),
      )
    : undefined;
  const namespaceOf = (o: K8sObject): string =>
    NAMESPACED_CLUSTER_KINDS.has(o.kind) ? '' : (kustNs?.get(o.uri) ?? (o.namespace || defaultNamespace));
  const slots = keepLatest(all, kustNs, defaultNamespace);
  const kept = partition(slots);
  const basis: InventoryBasis = {
    objects: kept.invObjects,
    namespaces: kept.invNamespaces,
    policyNamespaces: [...kept.policyNs].sort().join('\u0000'),
    defaultNamespace,
  };
  const policies: NormPolicy[] = [];
  for (let i = 0; i < kept.policyObjs.length; i++) policies.push(policyFor(kept.policyObjs[i], kept.policyObjNs[i]));
  const activePolicies = policies.filter((p) => p.valid);
  const tieredPolicies = kept.tieredObjs.map(readTieredPolicy);
  const tiers = {
    tieredPolicies,
    adminTier: tierOrder(tieredPolicies, 'Admin'),
    baselineTier: tierOrder(tieredPolicies, 'Baseline'),
  };
  const prevBasis = previous ? bases.get(previous) : undefined;
  let world: World;
  if (previous && prevBasis && sameBasis(prevBasis, basis)) {
    world = {
      ...previous,
      objects: kept.objects,
      policies,
      activePolicies,
      ...tiers,
      replaced: slots.replaced,
      namespaceOf,
    };
  } else {
    const inv = buildInventory(kept);
    world = {
      defaultNamespace,
      objects: kept.objects,
      workloads: inv.workloads,
      namespaces: inv.namespaces,
      policies,
      activePolicies,
      ...tiers,
      services: inv.services,
      replaced: slots.replaced,
      namespaceOf,
      workloadOf: inv.workloadOf,
    };
  }
  bases.set(world, basis);
  return world;
}

/**
 * Every object of the files in order, as ObjInfo records. A 9.6 MB file has ~9,000 objects and
 * every edit rebuilds the world: the loops read ObjInfo records (one shape, cached per parsed
 * document) rather than the objects (one shape per kind).
 */
function collectInfos(files: readonly ManifestFile[]): { all: ObjInfo[]; hasKustomization: boolean } {
  const all: ObjInfo[] = [];
  let hasKustomization = false;
  for (const f of files) {
    for (const d of f.documents) {
      for (const i of documentInfos(f.uri, d)) {
        all.push(i);
        if (i.kustomizes) hasKustomization = true;
      }
    }
  }
  return { all, hasKustomization };
}

/** The objects in order with their namespaces; a replaced object's slot is null. */
interface Slots {
  readonly infos: (ObjInfo | null)[];
  readonly namespaces: string[];
  readonly replaced: Replaced[];
}

/** Resolves each object's namespace and drops objects that a later one with the same key replaces. */
function keepLatest(all: readonly ObjInfo[], kustNs: Map<string, string> | undefined, defaultNs: string): Slots {
  const byKey = new Map<string, number>();
  const infos: (ObjInfo | null)[] = [];
  const namespaces: string[] = [];
  const replaced: Replaced[] = [];
  for (const i of all) {
    const ns = i.clusterScoped ? '' : (kustNs?.get(i.uri) ?? (i.namespace || defaultNs));
    if (i.name && i.type !== 'kustomization') {
      if (i.keyNs !== ns) {
        i.key = `${i.kind}\u0000${ns}\u0000${i.name}`;
        i.keyNs = ns;
      }
      const prev = byKey.get(i.key);
      if (prev !== undefined) {
        replaced.push({ kept: i.o, replaced: infos[prev]!.o });
        infos[prev] = null;
      }
      byKey.set(i.key, infos.length);
    }
    infos.push(i);
    namespaces.push(ns);
  }
  return { infos, namespaces, replaced };
}

/** The kept objects, and by type with their namespaces (later steps then skip a test per object). */
interface Kept {
  readonly objects: K8sObject[];
  /** Workloads, namespaces and Services: what the inventory part of a world comes from. */
  readonly invObjects: K8sObject[];
  readonly invNamespaces: string[];
  readonly policyObjs: Array<K8sObject & { type: 'policy' }>;
  readonly policyObjNs: string[];
  readonly policyNs: Set<string>;
  readonly tieredObjs: TieredPolicyObject[];
  readonly namespaceObjs: NamespaceObject[];
  readonly workloadObjs: WorkloadObject[];
  readonly workloadNs: string[];
  readonly serviceObjs: ServiceObject[];
  readonly serviceNs: string[];
}

function partition(slots: Slots): Kept {
  const kept: Kept = {
    objects: [],
    invObjects: [],
    invNamespaces: [],
    policyObjs: [],
    policyObjNs: [],
    policyNs: new Set(),
    tieredObjs: [],
    namespaceObjs: [],
    workloadObjs: [],
    workloadNs: [],
    serviceObjs: [],
    serviceNs: [],
  };
  const { objects, invObjects, invNamespaces, policyObjs, policyObjNs, policyNs } = kept;
  const { namespaceObjs, workloadObjs, workloadNs, serviceObjs, serviceNs } = kept;
  for (let k = 0; k < slots.infos.length; k++) {
    const info = slots.infos[k];
    if (!info) continue;
    const o = info.o;
    const ns = slots.namespaces[k];
    objects.push(o);
    switch (info.type) {
      case 'workload':
        invObjects.push(o);
        invNamespaces.push(ns);
        if (info.name) {
          workloadObjs.push(o as WorkloadObject);
          workloadNs.push(ns);
        }
        break;
      case 'namespace':
        invObjects.push(o);
        invNamespaces.push(ns);
        if (info.name) namespaceObjs.push(o as NamespaceObject);
        break;
      case 'service':
        invObjects.push(o);
        invNamespaces.push(ns);
        serviceObjs.push(o as ServiceObject);
        serviceNs.push(ns);
        break;
      case 'policy':
        policyObjs.push(o as K8sObject & { type: 'policy' });
        policyObjNs.push(ns);
        policyNs.add(ns);
        break;
      case 'tiered':
        kept.tieredObjs.push(o as TieredPolicyObject);
        break;
      default:
        break;
    }
  }
  return kept;
}

type Inventory = Pick<World, 'workloads' | 'namespaces' | 'services' | 'workloadOf'>;

/** Namespaces (declared, then those that workloads and policies use), workloads and Services. */
function buildInventory(kept: Kept): Inventory {
  const namespaces = new Map<string, NamespaceInfo>();
  for (const o of kept.namespaceObjs) {
    namespaces.set(o.name!, { name: o.name!, labels: { ...o.labels, [NAME_LABEL]: o.name! }, declared: o });
  }
  const { workloads, wlOfObj } = buildWorkloads(kept, namespaces);
  for (const ns of kept.policyObjNs) ensureNamespace(namespaces, ns);
  const services: ServiceInfo[] = [];
  for (let i = 0; i < kept.serviceObjs.length; i++) {
    services.push({ obj: kept.serviceObjs[i], namespace: kept.serviceNs[i] });
  }
  return {
    workloads,
    // in name order: the same files give the same world, whatever order namespaces appeared in
    namespaces: new Map([...namespaces].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    services,
    workloadOf: (o) => wlOfObj.get(o),
  };
}

/** Adds an undeclared namespace (labelled with its name only). */
function ensureNamespace(namespaces: Map<string, NamespaceInfo>, name: string): void {
  if (name && !namespaces.has(name)) namespaces.set(name, { name, labels: { [NAME_LABEL]: name } });
}

/**
 * Workloads in order of first manifest (their namespaces added to `namespaces`); Pods of one
 * controller merge into one workload named after the owner.
 */
function buildWorkloads(
  kept: Kept,
  namespaces: Map<string, NamespaceInfo>,
): { workloads: Workload[]; wlOfObj: WeakMap<WorkloadObject, Workload> } {
  const { workloadObjs, workloadNs } = kept;
  const workloads: Workload[] = [];
  const wlByKey = new Map<string, { w: Workload; sources: WorkloadObject[]; conflicts: WorkloadObject[] }>();
  const wlOfObj = new WeakMap<WorkloadObject, Workload>();
  for (let i = 0; i < workloadObjs.length; i++) {
    const o = workloadObjs[i];
    const ns = workloadNs[i];
    let name = o.name!;
    let kind: string = o.kind;
    if (o.kind === 'Pod' && o.owner && o.owner.kind !== 'Node') {
      name = o.owner.name;
      kind = o.owner.kind ?? 'Pod';
    }
    const key = `${ns}/${name}[${kind}]`;
    const existing = wlByKey.get(key);
    if (existing) {
      existing.sources.push(o);
      if (!sameLabels(existing.w.labels, o.podLabels)) existing.conflicts.push(o);
      wlOfObj.set(o, existing.w);
      continue;
    }
    ensureNamespace(namespaces, ns);
    const sources: WorkloadObject[] = [o];
    const conflicts: WorkloadObject[] = [];
    const w: Workload = {
      id: workloads.length,
      key,
      namespace: ns,
      name,
      kind,
      labels: o.podLabels,
      ports: o.ports,
      hostNetwork: o.hostNetwork,
      sources,
      labelConflicts: conflicts,
    };
    workloads.push(w);
    wlByKey.set(key, { w, sources, conflicts });
    wlOfObj.set(o, w);
  }
  return { workloads, wlOfObj };
}

function sameBasis(a: InventoryBasis, b: InventoryBasis): boolean {
  if (
    a.defaultNamespace !== b.defaultNamespace ||
    a.policyNamespaces !== b.policyNamespaces ||
    a.objects.length !== b.objects.length
  ) {
    return false;
  }
  for (let i = 0; i < a.objects.length; i++) {
    if (a.objects[i] !== b.objects[i] || a.namespaces[i] !== b.namespaces[i]) return false;
  }
  return true;
}

/** Whether two worlds share their workloads, namespaces and Services (the same objects). */
export function sameInventory(a: World, b: World): boolean {
  return a.workloads === b.workloads && a.namespaces === b.namespaces && a.services === b.services;
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

export function namespaceLabels(world: World, ns: string): Readonly<Record<string, string>> {
  return world.namespaces.get(ns)?.labels ?? { [NAME_LABEL]: ns };
}
