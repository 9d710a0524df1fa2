// Typed views of the Kubernetes objects of a document. Reading is lenient, as a non-strict
// decoder is: unknown fields are ignored here (rules report them) and a value of the wrong type
// reads as absent. Exact validation of NetworkPolicies lives in analysis/validate.ts.

import type { ManifestDocument } from './document';
import { get, looseStr, num, type PMap, type PNode, str } from './tree';

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Policy kinds of other projects that we recognise but do not analyse. */
export const FOREIGN_POLICY_KINDS: Record<string, string> = {
  CiliumNetworkPolicy: 'Cilium',
  CiliumClusterwideNetworkPolicy: 'Cilium',
  GlobalNetworkPolicy: 'Calico',
  GlobalNetworkSet: 'Calico',
  NetworkSet: 'Calico',
  AuthorizationPolicy: 'Istio',
  MultiNetworkPolicy: 'Multus',
};

export interface ObjectBase {
  readonly uri: string;
  readonly doc: ManifestDocument;
  /** The object's own map (an item of a List, or the document root). */
  readonly node: PMap;
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name?: string;
  /** metadata.namespace as written (undefined when absent). */
  readonly namespace?: string;
  /** Index in `items` when the object comes from a List. */
  readonly listIndex?: number;
}

export interface ContainerPort {
  readonly container: string;
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
  /** The port's own map node (for ranges). */
  readonly node?: PMap;
}

export interface OwnerRef {
  readonly kind?: string;
  readonly name: string;
  readonly controller: boolean;
}

export interface WorkloadObject extends ObjectBase {
  readonly type: 'workload';
  readonly kind: WorkloadKind;
  /** Labels of the pods (the template's labels; a Pod's own labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The labels map node of the pods, when written. */
  readonly podLabelsNode?: PMap;
  /** The pod spec map, when written. */
  readonly podSpec?: PMap;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** Pods only: the controller owner reference, if any. */
  readonly owner?: OwnerRef;
}

export interface ServicePort {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly protocol: string;
  readonly node: PMap;
}

export interface ServiceObject extends ObjectBase {
  readonly type: 'service';
  /** null when the Service has no selector (its endpoints are managed by hand). */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly ServicePort[];
  readonly serviceType: string;
}

export interface NamespaceObject extends ObjectBase {
  readonly type: 'namespace';
  readonly labels: Readonly<Record<string, string>>;
}

export interface PolicyObject extends ObjectBase {
  readonly type: 'policy';
}

/** The cluster-scoped admin policy kinds of policy.networking.k8s.io (docs/semantics.md D.1). */
export const TIERED_POLICY_KINDS = [
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
] as const;
export type TieredPolicyKind = (typeof TIERED_POLICY_KINDS)[number];
export const TIERED_POLICY_GROUP = 'policy.networking.k8s.io';

/** AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (read in analysis/tiered.ts). */
export interface TieredPolicyObject extends ObjectBase {
  readonly type: 'tiered';
  readonly kind: TieredPolicyKind;
}

export interface OtherObject extends ObjectBase {
  readonly type: 'other';
  /** For policy kinds of other projects: whose they are. */
  readonly foreignPolicy?: string;
}

export interface KustomizationObject extends ObjectBase {
  readonly type: 'kustomization';
  readonly kustomizeNamespace?: string;
  readonly resources: readonly string[];
}

export type K8sObject =
  | WorkloadObject
  | ServiceObject
  | NamespaceObject
  | PolicyObject
  | TieredPolicyObject
  | OtherObject
  | KustomizationObject;

export function labelsOf(n: PNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!n || n.t !== 'map') return out;
  for (const en of n.entries) {
    if (en.shadowed) continue;
    const v = looseStr(en.value);
    out[en.key] = v ?? '';
  }
  return out;
}

function asMap(n: PNode | undefined): PMap | undefined {
  return n && n.t === 'map' ? n : undefined;
}

function containerPorts(podSpec: PMap | undefined): ContainerPort[] {
  const out: ContainerPort[] = [];
  if (!podSpec) return out;
  for (const field of ['containers', 'initContainers']) {
    const list = get(podSpec, field);
    if (!list || list.t !== 'seq') continue;
    for (const c of list.items) {
      if (c.t !== 'map') continue;
      // init containers only serve ports when they are restartable sidecars
      if (field === 'initContainers' && str(get(c, 'restartPolicy')) !== 'Always') continue;
      const cname = looseStr(get(c, 'name')) ?? '';
      const ports = get(c, 'ports');
      if (!ports || ports.t !== 'seq') continue;
      for (const p of ports.items) {
        if (p.t !== 'map') continue;
        const port = num(get(p, 'containerPort'));
        if (port === undefined || !Number.isInteger(port)) continue;
        const name = str(get(p, 'name'));
        const protocol = str(get(p, 'protocol')) ?? 'TCP';
        out.push(
          name !== undefined
            ? { container: cname, name, port, protocol, node: p }
            : { container: cname, port, protocol, node: p },
        );
      }
    }
  }
  return out;
}

function podTemplateOf(kind: WorkloadKind, root: PMap): PMap | undefined {
  const spec = asMap(get(root, 'spec'));
  if (kind === 'Pod') return root;
  if (kind === 'CronJob') return asMap(get(asMap(get(asMap(get(spec, 'jobTemplate')), 'spec')), 'template'));
  return asMap(get(spec, 'template'));
}

function ownerOf(meta: PMap | undefined): OwnerRef | undefined {
  const refs = get(meta, 'ownerReferences');
  if (!refs || refs.t !== 'seq') return undefined;
  for (const r of refs.items) {
    if (r.t !== 'map') continue;
    const c = get(r, 'controller');
    if (!(c && c.t === 'scalar' && c.v === true)) continue;
    const name = looseStr(get(r, 'name'));
    if (!name) continue;
    const kind = str(get(r, 'kind'));
    return kind ? { kind, name, controller: true } : { name, controller: true };
  }
  return undefined;
}

function readObject(
  uri: string,
  doc: ManifestDocument,
  node: PMap,
  listIndex: number | undefined,
  impliedKind?: string,
): K8sObject | null {
  const kind = str(get(node, 'kind')) ?? impliedKind;
  if (!kind) return null;
  const apiVersion = str(get(node, 'apiVersion'));
  const meta = asMap(get(node, 'metadata'));
  const name = looseStr(get(meta, 'name'));
  const namespace = looseStr(get(meta, 'namespace'));
  const base = { uri, doc, node, apiVersion, kind, name, namespace, listIndex };
  if ((WORKLOAD_KINDS as readonly string[]).includes(kind)) return readWorkload(base, kind as WorkloadKind, meta);
  switch (kind) {
    case 'Namespace':
      return { ...base, type: 'namespace', labels: labelsOf(get(meta, 'labels')) };
    case 'NetworkPolicy':
      return { ...base, type: 'policy' };
    case 'Service':
      return readService(base);
    case 'Kustomization':
      return readKustomization(base);
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy':
      // another group's kind of the same name stays an ordinary object
      if (apiVersion === undefined || apiVersion.split('/')[0] === TIERED_POLICY_GROUP) {
        return { ...base, kind, type: 'tiered' };
      }
      return { ...base, type: 'other' };
    default: {
      const foreign = FOREIGN_POLICY_KINDS[kind];
      return foreign ? { ...base, type: 'other', foreignPolicy: foreign } : { ...base, type: 'other' };
    }
  }
}

/** The fields every object has, as readObject passes them to the reader of a kind. */
type ObjectFields = Omit<ObjectBase, 'kind'> & { readonly kind: string };

function readWorkload(base: ObjectFields, kind: WorkloadKind, meta: PMap | undefined): WorkloadObject {
  const tpl = podTemplateOf(kind, base.node);
  const tplMeta = asMap(get(tpl, 'metadata'));
  const podSpec = asMap(get(tpl, 'spec'));
  const labelsNode = asMap(get(tplMeta, 'labels'));
  const hn = get(podSpec, 'hostNetwork');
  return {
    ...base,
    type: 'workload',
    kind,
    podLabels: labelsOf(labelsNode),
    podLabelsNode: labelsNode,
    podSpec,
    ports: containerPorts(podSpec),
    hostNetwork: !!hn && hn.t === 'scalar' && hn.v === true,
    owner: kind === 'Pod' ? ownerOf(meta) : undefined,
  };
}

function readService(base: ObjectFields): ServiceObject {
  const spec = asMap(get(base.node, 'spec'));
  const selNode = get(spec, 'selector');
  return {
    ...base,
    type: 'service',
    selector: selNode && selNode.t === 'map' && selNode.entries.length ? labelsOf(selNode) : null,
    ports: servicePorts(spec),
    serviceType: str(get(spec, 'type')) ?? 'ClusterIP',
  };
}

function servicePorts(spec: PMap | undefined): ServicePort[] {
  const ports: ServicePort[] = [];
  const pl = get(spec, 'ports');
  if (!pl || pl.t !== 'seq') return ports;
  for (const p of pl.items) {
    if (p.t !== 'map') continue;
    const tp = get(p, 'targetPort');
    const tpv = tp && tp.t === 'scalar' && (typeof tp.v === 'number' || typeof tp.v === 'string') ? tp.v : undefined;
    ports.push({
      name: str(get(p, 'name')),
      port: num(get(p, 'port')),
      targetPort: tpv,
      protocol: str(get(p, 'protocol')) ?? 'TCP',
      node: p,
    });
  }
  return ports;
}

function readKustomization(base: ObjectFields): KustomizationObject {
  const res: string[] = [];
  for (const f of ['resources', 'bases']) {
    const l = get(base.node, f);
    if (l && l.t === 'seq') {
      for (const it of l.items) {
        const v = str(it);
        if (v) res.push(v);
      }
    }
  }
  return { ...base, type: 'kustomization', kustomizeNamespace: str(get(base.node, 'namespace')), resources: res };
}

/** The Kubernetes objects of one document: the object itself, or the items of a List. */
export function objectsOf(uri: string, doc: ManifestDocument): K8sObject[] {
  const root = doc.tree;
  if (doc.kind !== 'k8s' || !root || root.t !== 'map') return [];
  const kind = str(get(root, 'kind'));
  const items = get(root, 'items');
  if (kind && kind.endsWith('List') && items && items.t === 'seq') {
    const out: K8sObject[] = [];
    // typed lists (PodList, NamespaceList, ...) may leave `kind` out of their items
    const implied = kind === 'List' ? undefined : kind.slice(0, -4);
    items.items.forEach((it, i) => {
      if (it.t !== 'map') return;
      const o = readObject(uri, doc, it, i, implied);
      if (o) out.push(o);
    });
    return out;
  }
  const o = readObject(uri, doc, root, undefined);
  return o ? [o] : [];
}
