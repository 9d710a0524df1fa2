// The traffic diagram of one namespace as a Mermaid flowchart. A pure function of the engine's
// connectivity (connectivity.ts): nothing here re-evaluates all pairs; evaluate.ts only explains
// the arrows that are drawn.
//
// What is drawn (from the namespace's point of view):
// - its workloads as nodes, workloads with identical connectivity merged into one node;
// - peers outside it: workloads of other namespaces (a subgraph per namespace), IP ranges, and
//   group nodes where one rule allows a whole set: "anywhere" (no from/to list), "any pod in the
//   cluster" (namespaceSelector {}), "any pod in NS" (podSelector {} or a namespace by name), "any
//   pod in namespaces <selector>";
// - solid arrows in the direction connections are opened, labelled with ports: arrows to workloads
//   are actual connections (both ends agree); arrows to groups show what this namespace's rules
//   allow (the other side may still block);
// - a direction in which no policy isolates a workload is "open": one arrow from/to "anywhere"
//   ("all") and an orange dashed border; connections between two open ends are not drawn one by one;
// - optionally the dotted reverse of each arrow (replies).

import type { Connectivity } from '../analysis/connectivity';
import {
  type Endpoint,
  evaluateDirection,
  evaluatePair,
  namespaceLabels,
  rulePorts,
  type RuleMatch,
  wl,
} from '../analysis/evaluate';
import { type Family, familyMax, rangeToCidrs, type IpSegment } from '../analysis/ipset';
import type { Direction, NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import {
  describePorts,
  intersectPorts,
  isAllPorts,
  isEmptyPorts,
  type PortSet,
  PortSetTable,
  subtractPorts,
} from '../analysis/ports';
import { describeRequirement, isMatchAll, matches, type Selector } from '../analysis/selectors';
import { inventoryOf } from '../analysis/inventory';
import { NAME_LABEL, type Workload, type World } from '../analysis/world';
import type { ManifestDocument } from '../model/document';
import { objectLocation } from '../model/spans';
import type {
  DiagramEdge,
  DiagramEdgeKind,
  DiagramLocation,
  DiagramNode,
  DiagramParams,
  DiagramResult,
  DiagramRuleRef,
  DiagramWorkload,
} from './model';

// ------------------------------------------------------------------------------ escaping

/** Characters that stay as they are in Mermaid text; everything else ASCII becomes `#NN;`. */
const SAFE_ASCII = /^[A-Za-z0-9 .,_/=+@!?*~^$'-]$/;
/** Non-ASCII characters that are encoded too: bidi/invisible controls, line separators, and the
 *  characters of mermaid's own entity placeholders (so that they cannot be forged). */
const ENCODE_NON_ASCII: ReadonlyArray<readonly [number, number]> = [
  [0xa0, 0xa0],
  [0xad, 0xad],
  [0xb6, 0xb6],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfb02, 0xfb02],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];
const mustEncode = (cp: number): boolean => ENCODE_NON_ASCII.some(([lo, hi]) => cp >= lo && cp <= hi);

/**
 * Escapes text from a manifest for use inside a quoted Mermaid label (`["..."]`, `|"..."|`).
 * Only letters, digits and a few harmless punctuation characters pass; everything else is written
 * as a numeric entity, which mermaid turns into an HTML character reference: `<img onerror=..>`,
 * quotes, `%%{init}%%`, `#quot;`, backticks and brackets all show as text. `keep` lists ASCII
 * characters to leave alone in text we generated ourselves (`:` in IPv6 addresses).
 */
export function escapeMermaid(s: string, keep = ''): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 32 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) out += ' ';
    else if (cp < 128) out += SAFE_ASCII.test(ch) || keep.includes(ch) ? ch : `#${cp};`;
    else if (mustEncode(cp)) out += `#${cp};`;
    else out += ch;
  }
  return out;
}

/** Shortens to `max` characters (code points), with an ellipsis. */
function clip(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join('')}…`;
}

/** For %% comments: never a manifest string verbatim (mermaid scans the text for %%{ directives). */
function commentSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '?');
}

// ------------------------------------------------------------------------------ ids

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function slug(s: string): string {
  const x = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return x.slice(0, 24).replace(/_+$/, '') || 'x';
}

// ------------------------------------------------------------------------------ helpers

const WELL_KNOWN_LABELS = [
  'app.kubernetes.io/name',
  'app',
  'k8s-app',
  'app.kubernetes.io/component',
  'component',
  'tier',
  'role',
  'name',
];

function location(uri: string, doc: ManifestDocument, s: number, e: number): DiagramLocation {
  return { uri, range: { start: doc.positionAt(s), end: doc.positionAt(e) } };
}

function portsLabel(ps: ReturnType<PortSetTable['get']>): string {
  return isAllPorts(ps) ? 'all' : describePorts(ps);
}

const dirName = (d: Direction): 'ingress' | 'egress' => (d === 'Ingress' ? 'ingress' : 'egress');

/** A group of peers that one rule allows as a whole. */
interface GroupDef {
  readonly key: string;
  /** `unmatched`: a peer that selects particular pods, none of which is in the workspace. */
  readonly kind: 'anywhere' | 'cluster' | 'namespace' | 'selector' | 'unmatched';
  readonly namespace?: string;
  /** The namespace selector (`selector`; `unmatched` peers with a namespaceSelector). */
  readonly selector?: Selector;
  /** The pod selector of an `unmatched` peer. */
  readonly pods?: Selector;
}

interface GroupRule {
  readonly policy: NormPolicy;
  readonly rule: NormRule;
  readonly peer?: NormPeer;
}

/** The one namespace a namespaceSelector names (`kubernetes.io/metadata.name: X`), if it does. */
function namedNamespace(ns: Selector): string | undefined {
  return ns.reqs.length === 1 &&
    ns.reqs[0].key === NAME_LABEL &&
    ns.reqs[0].op === 'In' &&
    ns.reqs[0].values.length === 1
    ? ns.reqs[0].values[0]
    : undefined;
}

/**
 * The group a rule peer stands for, or undefined for a specific one (individual arrows). A peer
 * that selects particular pods is drawn through the workloads it matches; when it matches none
 * in the workspace (`matchesNothing`), it becomes an `unmatched` group so that the rule still
 * shows (the pods may live in manifests kept elsewhere).
 */
function groupOf(
  rule: NormRule,
  peer: NormPeer | undefined,
  policyNs: string,
  matchesNothing: (peer: NormPeer) => boolean,
): GroupDef | undefined {
  if (!peer) return rule.peers === undefined ? { key: 'anywhere', kind: 'anywhere' } : undefined;
  if (peer.kind !== 'pods') return undefined; // ipBlocks: drawn from the address segments
  const ns = peer.namespaceSelector;
  const podsAll = !peer.podSelector || isMatchAll(peer.podSelector);
  if (!podsAll) {
    if (!matchesNothing(peer)) return undefined;
    const where = !ns ? policyNs : namedNamespace(ns);
    return {
      key: `none:${where !== undefined ? `N${where}` : `S${ns!.key}`}:${peer.podSelector!.key}`,
      kind: 'unmatched',
      pods: peer.podSelector,
      ...(where !== undefined ? { namespace: where } : { selector: ns }),
    };
  }
  if (!ns) return { key: `ns:${policyNs}`, kind: 'namespace', namespace: policyNs };
  if (isMatchAll(ns)) return { key: 'cluster', kind: 'cluster' };
  const name = namedNamespace(ns);
  if (name !== undefined) return { key: `ns:${name}`, kind: 'namespace', namespace: name };
  return { key: `sel:${ns.key}`, kind: 'selector', selector: ns };
}

function groupContains(world: World, g: GroupDef, w: Workload): boolean {
  switch (g.kind) {
    case 'anywhere':
    case 'cluster':
      return true;
    case 'namespace':
      return w.namespace === g.namespace;
    case 'selector':
      return matches(g.selector!, namespaceLabels(world, w.namespace));
    case 'unmatched':
      return false;
  }
}

/** Lines describing a set of address ranges of one family. */
function describeRanges(ranges: ReadonlyArray<readonly [bigint, bigint]>, f: Family): { full: boolean; text: string } {
  const max = familyMax(f);
  const total = max + 1n;
  let covered = 0n;
  for (const [lo, hi] of ranges) covered += hi - lo + 1n;
  const fam = f === 4 ? 'IPv4' : 'IPv6';
  if (covered === total) return { full: true, text: `any ${fam}` };
  const list = (rs: ReadonlyArray<readonly [bigint, bigint]>): string => {
    const cidrs = rs.flatMap(([lo, hi]) => rangeToCidrs(lo, hi, f));
    return cidrs.length > 6 ? `${cidrs.slice(0, 5).join(', ')} +${cidrs.length - 5} more` : cidrs.join(', ');
  };
  if (covered * 2n > total) {
    const holes: Array<[bigint, bigint]> = [];
    let next = 0n;
    for (const [lo, hi] of ranges) {
      if (lo > next) holes.push([next, lo - 1n]);
      next = hi + 1n;
    }
    if (next <= max) holes.push([next, max]);
    return { full: false, text: `any ${fam} except ${list(holes)}` };
  }
  return { full: false, text: list(ranges) };
}

// ------------------------------------------------------------------------------ the generator

interface Unit {
  readonly id: string;
  readonly members: readonly Workload[];
  /** Classes of the connectivity engine behind the node; the first one speaks for all. */
  readonly classes: readonly number[];
}

interface PendingEdge {
  from: string;
  to: string;
  kind: DiagramEdgeKind;
  direction: DiagramEdge['direction'];
  ports: string;
  rules: DiagramRuleRef[];
  notes: string[];
  /** How to explain it when it is kept (evaluated lazily, once). */
  explain?: () => { rules: DiagramRuleRef[]; notes: string[] };
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Picks the namespace to draw: the requested one, the active document's, or a default. */
function pickNamespace(
  world: World,
  namespaces: readonly string[],
  params: DiagramParams,
): { ns: string; note?: string } {
  if (params.namespace && world.namespaces.has(params.namespace)) return { ns: params.namespace };
  let note: string | undefined;
  if (params.namespace) note = `Namespace "${clip(params.namespace, 63)}" is not in the workspace any more.`;
  if (params.uri) {
    const counts = new Map<string, number>();
    for (const o of world.objects) {
      if (o.uri !== params.uri) continue;
      const ns =
        o.type === 'namespace'
          ? (o.name ?? '')
          : o.type === 'workload' || o.type === 'policy'
            ? world.namespaceOf(o)
            : '';
      if (ns) counts.set(ns, (counts.get(ns) ?? 0) + (o.type === 'policy' ? 2 : 1));
    }
    let best = '';
    for (const [ns, c] of counts) {
      if (!best || c > counts.get(best)! || (c === counts.get(best)! && ns < best)) best = ns;
    }
    if (best && world.namespaces.has(best)) return { ns: best, note };
  }
  const withPolicy = new Set(world.activePolicies.map((p) => p.namespace));
  const withWorkloads = new Set(world.workloads.map((w) => w.namespace));
  const ns =
    namespaces.find((n) => withPolicy.has(n) && withWorkloads.has(n)) ??
    namespaces.find((n) => withWorkloads.has(n)) ??
    namespaces[0] ??
    '';
  return { ns, note };
}

/** Builds the diagram of one namespace. Pure; never throws on any world. */
export function buildDiagram(world: World, conn: Connectivity, params: DiagramParams = {}): DiagramResult {
  const inv = inventoryOf(world);
  const t0 = now();
  const merge = params.merge !== false;
  const namespaces = [...world.namespaces.keys()].filter((n) => n !== '').sort();
  const { ns, note } = pickNamespace(world, namespaces, params);
  const messages: string[] = note ? [note] : [];

  // Local port-set table: the connectivity's table is shared, we do not add to it.
  const T = new PortSetTable();
  const fromConn: number[] = [];
  const P = (connId: number): number => (fromConn[connId] ??= T.intern(conn.table.get(connId)));
  const subMemo = new Map<number, number>();
  const minus = (a: number, b: number): number => {
    if (a === 0 || b === 0) return a;
    if (b === PortSetTable.ALL || a === b) return 0;
    const k = a * 1048576 + b;
    let r = subMemo.get(k);
    if (r === undefined) subMemo.set(k, (r = T.intern(subtractPorts(T.get(a), T.get(b)))));
    return r;
  };

  // ---- classes of the namespace and their relations
  const nClasses = conn.classes.length;
  const rep = conn.classes.map((m) => m[0]);
  const internal = new Uint8Array(nClasses);
  const nsClasses: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    if (rep[c] && rep[c].namespace === ns) {
      internal[c] = 1;
      nsClasses.push(c);
    }
  }
  const outRel = new Map<number, Map<number, number>>();
  const inRel = new Map<number, Map<number, number>>();
  for (const c of nsClasses) {
    outRel.set(c, new Map());
    inRel.set(c, new Map());
  }
  for (const cp of conn.classPairs) {
    if (internal[cp.src]) outRel.get(cp.src)!.set(cp.dst, P(cp.ports));
    if (internal[cp.dst]) inRel.get(cp.dst)!.set(cp.src, P(cp.ports));
  }
  const rel = (src: number, dst: number): number => outRel.get(src)?.get(dst) ?? inRel.get(dst)?.get(src) ?? 0;
  const isOpen = (c: number, d: Direction): boolean => conn.isolation[d][c].length === 0;

  // ---- group rules per class and direction (from the isolating policies' rules)
  const ruleNo = new Map<NormRule, number>();
  const rulePortMemo = new Map<string, number>();
  /** Port-set id a rule allows towards a destination workload (null: an external address). */
  const rulePortsId = (r: NormRule, dst: Workload | null): number => {
    let rn = ruleNo.get(r);
    if (rn === undefined) ruleNo.set(r, (rn = ruleNo.size));
    const named = !!r.ports && r.ports.some((p) => typeof p.port === 'string');
    const k = named && dst ? `${rn}:${dst.id}` : `${rn}`;
    let id = rulePortMemo.get(k);
    if (id === undefined) rulePortMemo.set(k, (id = T.intern(rulePorts(r, named ? dst : null))));
    return id;
  };
  interface ClassGroup {
    def: GroupDef;
    rules: GroupRule[];
    label: string;
  }
  const groupsOf = new Map<string, ClassGroup[]>(); // `${class}:${dir}`
  const classGroups = (c: number, d: Direction): ClassGroup[] => {
    const k = `${c}:${d}`;
    let gs = groupsOf.get(k);
    if (gs) return gs;
    gs = [];
    const byKey = new Map<string, ClassGroup>();
    for (const pid of conn.isolation[d][c]) {
      const p = world.activePolicies[pid];
      for (const r of d === 'Ingress' ? p.ingress : p.egress) {
        const peers: ReadonlyArray<NormPeer | undefined> = r.peers === undefined ? [undefined] : r.peers;
        for (const peer of peers) {
          const def = groupOf(r, peer, p.namespace, (x) => inv.peerWorkloads(x, p.namespace).length === 0);
          if (!def) continue;
          let g = byKey.get(def.key);
          if (!g) byKey.set(def.key, (g = { def, rules: [], label: '' }));
          g.rules.push(peer ? { policy: p, rule: r, peer } : { policy: p, rule: r });
        }
      }
    }
    for (const g of byKey.values()) {
      // the label: numeric ports (named ports resolved on the workload for ingress), plus named
      // egress ports as written (they resolve per destination)
      let num = 0;
      const named = new Set<string>();
      for (const gr of g.rules) {
        num = T.union(num, rulePortsId(gr.rule, d === 'Ingress' ? rep[c] : null));
        if (d === 'Egress') {
          for (const pe of gr.rule.ports ?? []) if (typeof pe.port === 'string') named.add(`${pe.protocol} ${pe.port}`);
        }
      }
      if (!num && !named.size) continue;
      const parts = num ? [portsLabel(T.get(num))] : [];
      if (named.size) parts.push(`named ${[...named].sort().join(', ')}`);
      g.label = parts.join(', ');
      gs.push(g);
    }
    gs.sort((a, b) => (a.def.key < b.def.key ? -1 : 1));
    groupsOf.set(k, gs);
    return gs;
  };
  /** Ports of the pair (unit side `c`, direction `d`, peer workload) that `c`'s group arrows cover. */
  const coveredMemo = new Map<string, number>();
  const covered = (c: number, d: Direction, peer: Workload): number => {
    if (isOpen(c, d)) return 0;
    const peerClass = conn.classOf[peer.id];
    const k = `${c}:${d}:${peerClass}`;
    let id = coveredMemo.get(k);
    if (id !== undefined) return id;
    id = 0;
    for (const g of classGroups(c, d)) {
      if (!groupContains(world, g.def, peer)) continue;
      for (const gr of g.rules) id = T.union(id, rulePortsId(gr.rule, d === 'Ingress' ? rep[c] : peer));
    }
    coveredMemo.set(k, id);
    return id;
  };
  /** Ports the "anywhere" group covers for external addresses. */
  const anywhereIpPorts = (c: number, d: Direction): number => {
    let id = 0;
    for (const g of classGroups(c, d)) {
      if (g.def.kind !== 'anywhere') continue;
      for (const gr of g.rules) id = T.union(id, rulePortsId(gr.rule, d === 'Ingress' ? rep[c] : null));
    }
    return id;
  };

  // ---- units: the namespace's nodes (classes merged when their connectivity is identical)
  const segKey = (s: { v4: readonly IpSegment[]; v6: readonly IpSegment[] }): string =>
    [...s.v4.map((x) => `4:${x.lo}-${x.hi}:${P(x.ports)}`), ...s.v6.map((x) => `6:${x.lo}-${x.hi}:${P(x.ports)}`)].join(
      ',',
    );
  const unitClasses: number[][] = [];
  if (merge) {
    const buckets = new Map<string, number[][]>();
    for (const c of nsClasses) {
      const ext = (m: Map<number, number>): string =>
        [...m]
          .filter(([d]) => !internal[d])
          .map(([d, p]) => `${d}:${p}`)
          .sort()
          .join(',');
      const groups = (d: Direction): string =>
        isOpen(c, d)
          ? 'open'
          : classGroups(c, d)
              .map((g) => `${g.def.key}=${g.label}`)
              .join(';');
      // twins have the same multiset of relations with the namespace's other classes
      const own = (m: Map<number, number>): string =>
        [...m]
          .filter(([d, p]) => internal[d] && d !== c && p)
          .map(([, p]) => p)
          .sort((a, b) => a - b)
          .join(',');
      const key = [
        groups('Ingress'),
        groups('Egress'),
        segKey(conn.ipIngress[c]),
        segKey(conn.ipEgress[c]),
        ext(outRel.get(c)!),
        ext(inRel.get(c)!),
        own(outRel.get(c)!),
        own(inRel.get(c)!),
      ].join('|');
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = []));
      // identical connectivity: the same relations to every third class, and one relation s
      // among themselves (both ways, and within each class of several workloads). This is an
      // equivalence (if a~b and b~c, c is a third class for a and b and vice versa, so every
      // relation among a, b, c is the same s), so comparing with a group's first class suffices.
      // Every pair of distinct workloads of the merged node is then connected by s.
      const twin = (c2: number): boolean => {
        const s = rel(c, c2);
        if (rel(c2, c) !== s) return false;
        if (conn.classes[c].length > 1 && rel(c, c) !== s) return false;
        if (conn.classes[c2].length > 1 && rel(c2, c2) !== s) return false;
        // only classes related to one of the two can differ
        for (const m of [outRel.get(c)!, inRel.get(c)!, outRel.get(c2)!, inRel.get(c2)!]) {
          for (const d of m.keys()) {
            if (!internal[d] || d === c || d === c2) continue;
            if (rel(c, d) !== rel(c2, d) || rel(d, c) !== rel(d, c2)) return false;
          }
        }
        return true;
      };
      const g = b.find((list) => twin(list[0]));
      if (g) g.push(c);
      else b.push([c]);
    }
    for (const b of buckets.values()) unitClasses.push(...b);
  } else {
    for (const c of nsClasses) unitClasses.push([c]);
  }
  const byName = (a: Workload, b: Workload): number =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
  const units: Unit[] = [];
  const usedIds = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let i = 2; usedIds.has(id); i++) id = `${base}_${i}`;
    usedIds.add(id);
    return id;
  };
  const memberSets: Array<{ members: Workload[]; classes: number[] }> = [];
  for (const cs of unitClasses) {
    const members = cs.flatMap((c) => conn.classes[c]).sort(byName);
    if (merge) memberSets.push({ members, classes: cs });
    else for (const w of members) memberSets.push({ members: [w], classes: cs });
  }
  memberSets.sort((a, b) => byName(a.members[0], b.members[0]));
  for (const m of memberSets) {
    const key = m.members.map((w) => w.key).join('\u0000');
    const prefix = m.members.length > 1 ? 'm' : 'w';
    units.push({
      id: uniqueId(`${prefix}_${slug(m.members[0].name)}_${fnv(key)}`),
      members: m.members,
      classes: m.classes,
    });
  }
  const unitsOfClass = new Map<number, Unit[]>();
  /** The class that speaks for a unit (merged: its first; unmerged: its one workload's). */
  const cls = (u: Unit): number => (merge ? u.classes[0] : conn.classOf[u.members[0].id]);
  for (const u of units) {
    for (const c of merge ? u.classes : [cls(u)]) {
      let l = unitsOfClass.get(c);
      if (!l) unitsOfClass.set(c, (l = []));
      l.push(u);
    }
  }

  // ---- nodes
  const nodes = new Map<string, DiagramNode>();
  const subgraphOf = new Map<string, string>(); // node id -> namespace ('' = outside)
  const selectorKeys = new Set<string>();
  for (const p of world.activePolicies) {
    for (const r of p.podSelector.reqs) selectorKeys.add(r.key);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind === 'pods' && peer.podSelector) for (const r of peer.podSelector.reqs) selectorKeys.add(r.key);
      }
    }
  }
  const keyLabels = (ws: readonly Workload[]): string[] => {
    const first = ws[0].labels;
    const common = Object.keys(first)
      .filter((k) => ws.every((w) => w.labels[k] === first[k]))
      .sort();
    const picked = common.filter((k) => selectorKeys.has(k));
    for (const k of WELL_KNOWN_LABELS) {
      if (picked.length < 2 && common.includes(k) && !picked.includes(k)) picked.push(k);
    }
    const out = picked.slice(0, 3).map((k) => `${clip(k, 40)}=${clip(first[k], 40)}`);
    if (!out.length && common.length) out.push(`${clip(common[0], 40)}=${clip(first[common[0]], 40)}`);
    return out;
  };
  const workloadJson = (w: Workload): DiagramWorkload => {
    const src = w.sources[0];
    const out: DiagramWorkload = { namespace: w.namespace, name: w.name, kind: w.kind, labels: { ...w.labels } };
    if (src) out.location = objectLocation(src);
    return out;
  };
  const kindSummary = (ws: readonly Workload[]): string => {
    const counts = new Map<string, number>();
    for (const w of ws) counts.set(w.kind, (counts.get(w.kind) ?? 0) + 1);
    return [...counts]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([k, n]) => (n > 1 ? `${k} ×${n}` : k))
      .join(', ');
  };
  const namesTitle = (ws: readonly Workload[]): string => {
    const names = ws.map((w) => clip(w.name, 40));
    return names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
  };
  for (const u of units) {
    const c = cls(u);
    const openIn = isOpen(c, 'Ingress');
    const openOut = isOpen(c, 'Egress');
    const detail = [
      u.members.length > 1 ? `${u.members.length} workloads · ${kindSummary(u.members)}` : u.members[0].kind,
      ...keyLabels(u.members),
    ];
    if (openIn || openOut) {
      detail.push(`open · ${[openIn ? 'ingress' : '', openOut ? 'egress' : ''].filter(Boolean).join(' + ')}`);
    }
    nodes.set(u.id, {
      id: u.id,
      kind: 'workload',
      title: namesTitle(u.members),
      detail,
      namespace: ns,
      workloads: u.members.map(workloadJson),
      locations: u.members
        .map((w) => (w.sources[0] ? objectLocation(w.sources[0]) : undefined))
        .filter((l): l is DiagramLocation => !!l),
      open: { ingress: openIn, egress: openOut },
    });
    subgraphOf.set(u.id, ns);
  }
  const nsLocation = (name: string): DiagramLocation[] => {
    const d = world.namespaces.get(name)?.declared;
    return d ? [objectLocation(d)] : [];
  };
  /** The box of a namespace (a subgraph); its labels are what namespaceSelectors see. */
  const nsNode = (name: string): string => {
    const id = `ns_${slug(name)}_${fnv(name)}`;
    if (!nodes.has(id)) {
      const labels = world.namespaces.get(name)?.labels ?? {};
      const shown = Object.keys(labels)
        .filter((k) => k !== NAME_LABEL)
        .sort()
        .slice(0, 2)
        .map((k) => `${clip(k, 40)}=${clip(labels[k], 40)}`);
      nodes.set(id, {
        id,
        kind: 'namespace',
        title: `namespace ${clip(name, 40)}`,
        detail: shown,
        namespace: name,
        workloads: [],
        locations: nsLocation(name),
      });
    }
    return id;
  };
  if (ns) nsNode(ns);
  /** The node of a group; `at`: where clicking an `unmatched` group goes (the peers in the rules). */
  const groupNode = (def: GroupDef, at: DiagramLocation[] = []): string => {
    let id: string;
    let title: string;
    let detail: string[] = [];
    let namespace: string | undefined;
    switch (def.kind) {
      case 'anywhere':
        id = 'g_anywhere';
        title = 'anywhere';
        detail = ['any pod or address'];
        break;
      case 'cluster':
        id = 'g_cluster';
        title = 'any pod in the cluster';
        break;
      case 'namespace':
        namespace = def.namespace!;
        id = `g_ns_${slug(namespace)}_${fnv(namespace)}`;
        title = `any pod in ${clip(namespace, 48)}`;
        break;
      case 'unmatched': {
        namespace = def.namespace;
        id = `g_none_${fnv(def.key)}`;
        const pods = def.pods!.reqs.map((r) => describeRequirement(r)).join(', ');
        title = `pods ${clip(pods, 60)}`;
        detail = [
          namespace !== undefined
            ? `in namespace ${clip(namespace, 48)}`
            : `in namespaces ${clip(def.selector!.reqs.map((r) => describeRequirement(r)).join(', '), 60)}`,
          'none in the workspace',
        ];
        break;
      }
      case 'selector':
        id = `g_sel_${fnv(def.selector!.key)}`;
        title = 'any pod in namespaces';
        detail = def.selector!.reqs.map((r) => clip(describeRequirement(r), 60));
        {
          const hit = [...world.namespaces.values()]
            .filter((n) => n.name && matches(def.selector!, n.labels))
            .map((n) => n.name)
            .sort();
          detail.push(
            hit.length
              ? `now ${clip(hit.slice(0, 3).join(', '), 60)}${hit.length > 3 ? ` +${hit.length - 3}` : ''}`
              : 'no namespace in the workspace matches',
          );
        }
        break;
    }
    if (!nodes.has(id)) {
      const n: DiagramNode = {
        id,
        kind: 'group',
        group: def.kind,
        title,
        detail,
        workloads: [],
        locations: def.kind === 'unmatched' ? at : namespace ? nsLocation(namespace) : [],
      };
      if (namespace) n.namespace = namespace;
      nodes.set(id, n);
      subgraphOf.set(id, namespace ?? '');
      if (namespace) nsNode(namespace);
    }
    return id;
  };

  // ---- arrows
  const pending = new Map<string, PendingEdge>();
  const addEdge = (e: PendingEdge): void => {
    const k = `${e.from}\u0000${e.to}`;
    const prev = pending.get(k);
    if (!prev) {
      pending.set(k, e);
      return;
    }
    // one arrow per pair of nodes: merge labels and reasons
    if (prev.ports !== e.ports) prev.ports = [prev.ports, e.ports].filter(Boolean).join(' + ');
    if (e.kind === 'connection' && prev.kind === 'open') prev.kind = 'connection';
    prev.rules.push(...e.rules);
    prev.notes.push(...e.notes);
    const a = prev.explain;
    const b = e.explain;
    if (b) {
      prev.explain = a
        ? () => {
            const x = a();
            const y = b();
            return { rules: [...x.rules, ...y.rules], notes: [...x.notes, ...y.notes] };
          }
        : b;
    }
  };
  // one ref object per (rule, peer, ports): deduplicated by identity, and cheap to build
  const refCache = new Map<NormRule, Map<string, DiagramRuleRef>>();
  const dedupeRules = (rs: DiagramRuleRef[]): DiagramRuleRef[] => (rs.length < 2 ? rs : [...new Set(rs)]);
  const ruleRef = (m: RuleMatch): DiagramRuleRef => {
    const portsText = portsLabel(m.ports);
    let byRule = refCache.get(m.rule);
    if (!byRule) refCache.set(m.rule, (byRule = new Map()));
    const k = `${m.peer ? m.peer.index : ''}:${portsText}`;
    let r = byRule.get(k);
    if (r) return r;
    const node = m.peer ? m.peer.node : m.rule.node;
    r = {
      policy: m.policy.name,
      namespace: m.policy.namespace,
      direction: dirName(m.rule.direction),
      rule: m.rule.index,
      ports: portsText,
      location: location(m.policy.obj.uri, m.policy.obj.doc, node.s, node.e),
    };
    if (m.peer) r.peer = m.peer.index;
    byRule.set(k, r);
    return r;
  };
  /**
   * evaluate.ts looks for the isolating policies among all of world.activePolicies; the
   * connectivity already knows them per class. A view of the world that holds only the policies
   * isolating the source for egress and the destination for ingress gives the same verdict
   * (the same policies, in the same order) without scanning every policy for every arrow.
   */
  const viewCache = new Map<string, World>();
  const worldFor = (src: Workload | null, dst: Workload | null): World => {
    const e = src ? conn.isolation.Egress[conn.classOf[src.id]] : [];
    const i = dst ? conn.isolation.Ingress[conn.classOf[dst.id]] : [];
    const pids = [...new Set([...e, ...i])].sort((a, b) => a - b);
    const k = pids.join(',');
    let v = viewCache.get(k);
    if (!v) {
      const activePolicies = pids.map((pid) => world.activePolicies[pid]);
      viewCache.set(k, (v = Object.create(world, { activePolicies: { value: activePolicies } }) as World));
    }
    return v;
  };
  /** The matches that allow some of the ports the arrow shows. */
  const relevant = (ms: readonly RuleMatch[], shown: PortSet): RuleMatch[] =>
    ms.filter((m) => !isEmptyPorts(intersectPorts(m.ports, shown)));
  const openNote = (w: Workload, d: Direction): string =>
    `${w.namespace}/${w.name} is not isolated for ${dirName(d)} (no NetworkPolicy selects it for ${dirName(d)}), so it ${d === 'Ingress' ? 'accepts connections from anywhere' : 'may connect anywhere'}`;
  /** Explains a workload-to-endpoint arrow with the representative members of a unit. */
  const explainPair = (
    srcs: readonly Workload[],
    dst: Endpoint | readonly Workload[],
    drawn: number,
  ): { rules: DiagramRuleRef[]; notes: string[] } => {
    const shown = T.get(drawn);
    const rules: DiagramRuleRef[] = [];
    const notes = new Set<string>();
    const dsts: Endpoint[] = Array.isArray(dst) ? (dst as readonly Workload[]).map(wl) : [dst as Endpoint];
    for (const s of srcs.slice(0, 4)) {
      for (const d of dsts.slice(0, 4)) {
        if (d.kind === 'workload' && d.w === s) continue;
        const v = evaluatePair(worldFor(s, d.kind === 'workload' ? d.w : null), wl(s), d);
        for (const part of [v.egress, v.ingress]) {
          if (!part) continue;
          rules.push(...relevant(part.matches, shown).map(ruleRef));
          if (!part.isolatedBy.length) {
            notes.add(openNote(part.direction === 'Egress' ? s : (d as { w: Workload }).w, part.direction));
          }
        }
      }
    }
    return { rules: dedupeRules(rules), notes: [...notes] };
  };
  /** Representatives of a unit: one workload of each of its classes (at most 4). */
  const reps = (u: Unit): Workload[] => {
    const out: Workload[] = [];
    const seen = new Set<number>();
    for (const w of u.members) {
      const c = conn.classOf[w.id];
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(w);
      if (out.length === 4) break;
    }
    return out;
  };

  // (a) open directions and group arrows
  for (const u of units) {
    const c = cls(u);
    const w0 = u.members[0];
    for (const d of ['Ingress', 'Egress'] as const) {
      if (isOpen(c, d)) {
        const any = groupNode({ key: 'anywhere', kind: 'anywhere' });
        const e: PendingEdge = {
          from: d === 'Ingress' ? any : u.id,
          to: d === 'Ingress' ? u.id : any,
          kind: 'open',
          direction: dirName(d),
          ports: 'all',
          rules: [],
          notes: [openNote(w0, d)],
        };
        addEdge(e);
        continue;
      }
      for (const g of classGroups(c, d)) {
        const rules = dedupeRules(
          g.rules.map((gr) =>
            ruleRef({
              policy: gr.policy,
              rule: gr.rule,
              ...(gr.peer ? { peer: gr.peer } : {}),
              ports: T.get(rulePortsId(gr.rule, d === 'Ingress' ? w0 : null)),
            }),
          ),
        );
        const unmatched = g.def.kind === 'unmatched';
        const gid = groupNode(g.def, unmatched ? rules.map((r) => r.location) : undefined);
        const internalGroup = (g.def.kind === 'namespace' || unmatched) && g.def.namespace === ns;
        const what = nodes.get(gid)!.title;
        const notes = [
          `${d === 'Ingress' ? 'From' : 'To'} ${what}: what the rules of namespace ${ns} allow; ${d === 'Ingress' ? 'a source' : 'a destination'} whose own policies forbid it is still blocked`,
        ];
        if (unmatched) {
          notes.push(
            'No workload in the workspace matches this peer: the arrow shows the rule, not a connection between manifests you have here.',
          );
        }
        addEdge({
          from: d === 'Ingress' ? gid : u.id,
          to: d === 'Ingress' ? u.id : gid,
          kind: 'connection',
          direction: internalGroup ? 'internal' : dirName(d),
          ports: g.label,
          rules,
          notes,
        });
      }
    }
  }

  // (b) connections between the namespace's own nodes
  for (const u of units) {
    const c = cls(u);
    const out = outRel.get(c)!;
    for (const [dc, ports] of out) {
      if (!internal[dc]) continue;
      if (isOpen(c, 'Egress') && isOpen(dc, 'Ingress')) continue; // both open: shown by the open marks
      for (const v of unitsOfClass.get(dc) ?? []) {
        if (u === v && u.members.length < 2) continue;
        if (!merge && u === v) continue;
        let rest = minus(ports, covered(c, 'Egress', v.members[0]));
        rest = minus(rest, covered(dc, 'Ingress', u.members[0]));
        if (!rest) continue;
        addEdge({
          from: u.id,
          to: v.id,
          kind: 'connection',
          direction: 'internal',
          ports: portsLabel(T.get(rest)),
          rules: [],
          notes: [],
          explain: () =>
            u === v ? explainPair([u.members[0]], [u.members[1]], rest) : explainPair(reps(u), reps(v), rest),
        });
      }
    }
  }

  // (c) connections with workloads of other namespaces (only for isolated directions)
  interface ExtRel {
    unit: Unit;
    dir: Direction;
    ports: number;
  }
  const extRels = new Map<number, ExtRel[]>(); // external class -> arrows
  for (const u of units) {
    const c = cls(u);
    for (const d of ['Ingress', 'Egress'] as const) {
      if (isOpen(c, d)) continue;
      const m = d === 'Egress' ? outRel.get(c)! : inRel.get(c)!;
      for (const [e, ports] of m) {
        if (internal[e]) continue;
        const rest = minus(ports, covered(c, d, rep[e]));
        if (!rest) continue;
        let l = extRels.get(e);
        if (!l) extRels.set(e, (l = []));
        l.push({ unit: u, dir: d, ports: rest });
      }
    }
  }
  // peers with the same arrows in one namespace share a node
  const peerGroups = new Map<string, { workloads: Workload[]; rels: ExtRel[] }>();
  for (const [e, rels] of [...extRels].sort((a, b) => a[0] - b[0])) {
    const sig = rels
      .map((r) => `${r.unit.id}:${r.dir}:${r.ports}`)
      .sort()
      .join(',');
    const members = conn.classes[e];
    if (merge) {
      const k = `${rep[e].namespace}\u0000${sig}`;
      const g = peerGroups.get(k);
      if (g) g.workloads.push(...members);
      else peerGroups.set(k, { workloads: [...members], rels });
    } else {
      for (const w of members) peerGroups.set(`${w.key}`, { workloads: [w], rels });
    }
  }
  const peerList = [...peerGroups.values()].map((g) => ({ ...g, workloads: g.workloads.sort(byName) }));
  peerList.sort((a, b) =>
    a.workloads[0].namespace < b.workloads[0].namespace
      ? -1
      : a.workloads[0].namespace > b.workloads[0].namespace
        ? 1
        : byName(a.workloads[0], b.workloads[0]),
  );
  for (const g of peerList) {
    const ws = g.workloads;
    const key = ws.map((w) => w.key).join('\u0000');
    const id = uniqueId(`x_${slug(ws[0].namespace)}_${slug(ws[0].name)}_${fnv(key)}`);
    nodes.set(id, {
      id,
      kind: 'peer',
      title: namesTitle(ws),
      detail: [ws.length > 1 ? `${ws.length} workloads · ${kindSummary(ws)}` : ws[0].kind, ...keyLabels(ws)],
      namespace: ws[0].namespace,
      workloads: ws.map(workloadJson),
      locations: ws
        .map((w) => (w.sources[0] ? objectLocation(w.sources[0]) : undefined))
        .filter((l): l is DiagramLocation => !!l),
    });
    subgraphOf.set(id, ws[0].namespace);
    nsNode(ws[0].namespace);
    for (const r of g.rels) {
      const u = r.unit;
      const peerReps = (() => {
        const out: Workload[] = [];
        const seen = new Set<number>();
        for (const w of ws) {
          if (!seen.has(conn.classOf[w.id])) {
            seen.add(conn.classOf[w.id]);
            out.push(w);
          }
        }
        return out.slice(0, 4);
      })();
      addEdge({
        from: r.dir === 'Ingress' ? id : u.id,
        to: r.dir === 'Ingress' ? u.id : id,
        kind: 'connection',
        direction: dirName(r.dir),
        ports: portsLabel(T.get(r.ports)),
        rules: [],
        notes: [],
        explain: () =>
          r.dir === 'Ingress' ? explainPair(peerReps, reps(u), r.ports) : explainPair(reps(u), peerReps, r.ports),
      });
    }
  }

  // (d) external addresses (isolated directions; what "anywhere" arrows do not already say)
  for (const u of units) {
    const c = cls(u);
    for (const d of ['Ingress', 'Egress'] as const) {
      if (isOpen(c, d)) continue;
      const segs = d === 'Ingress' ? conn.ipIngress[c] : conn.ipEgress[c];
      const anyPorts = anywhereIpPorts(c, d);
      const byPorts = new Map<number, { 4: Array<[bigint, bigint]>; 6: Array<[bigint, bigint]> }>();
      for (const f of [4, 6] as const) {
        for (const s of f === 4 ? segs.v4 : segs.v6) {
          const rest = minus(P(s.ports), anyPorts);
          if (!rest) continue;
          let b = byPorts.get(rest);
          if (!b) byPorts.set(rest, (b = { 4: [], 6: [] }));
          const list = b[f];
          const last = list[list.length - 1];
          if (last && last[1] + 1n === s.lo) last[1] = s.hi;
          else list.push([s.lo, s.hi]);
        }
      }
      for (const [ports, ranges] of [...byPorts].sort((a, b) => a[0] - b[0])) {
        const v4 = ranges[4].length ? describeRanges(ranges[4], 4) : undefined;
        const v6 = ranges[6].length ? describeRanges(ranges[6], 6) : undefined;
        const fullKey = `${ranges[4].map(([a, b]) => `${a}-${b}`).join(',')}|${ranges[6].map(([a, b]) => `${a}-${b}`).join(',')}`;
        const id = `ip_${fnv(fullKey)}`;
        if (!nodes.has(id)) {
          const lines =
            v4?.full && v6?.full ? ['any IP address'] : [v4?.text, v6?.text].filter((x): x is string => !!x);
          nodes.set(id, {
            id,
            kind: 'ip',
            title: clip(lines[0], 80),
            detail: lines.slice(1).map((l) => clip(l, 80)),
            workloads: [],
            locations: [],
          });
          subgraphOf.set(id, '');
        }
        const probe: Endpoint = ranges[4].length
          ? { kind: 'ip', family: 4, ip: ranges[4][0][0] }
          : { kind: 'ip', family: 6, ip: ranges[6][0][0] };
        addEdge({
          from: d === 'Ingress' ? id : u.id,
          to: d === 'Ingress' ? u.id : id,
          kind: 'connection',
          direction: dirName(d),
          ports: portsLabel(T.get(ports)),
          rules: [],
          notes: [],
          explain: () => {
            const rules: DiagramRuleRef[] = [];
            for (const w of reps(u)) {
              rules.push(
                ...relevant(
                  evaluateDirection(d === 'Egress' ? worldFor(w, null) : worldFor(null, w), d, w, probe).matches,
                  T.get(ports),
                ).map(ruleRef),
              );
            }
            return { rules: dedupeRules(rules), notes: [] };
          },
        });
      }
    }
  }

  // ---- an arrow that every node of the namespace has, to the same outside end with the same
  // label, becomes one arrow from/to "any pod in NS" (DNS, metrics scraping, default rules).
  // (Not to the namespace box itself: dagre routes arrows to a subgraph poorly.)
  for (const e of pending.values()) {
    if (!e.explain) continue;
    const x = e.explain();
    e.rules.push(...x.rules);
    e.notes.push(...x.notes);
    delete e.explain;
  }
  if (units.length >= 2 && ns) {
    const unitIds = new Set(units.map((u) => u.id));
    const sets = new Map<string, PendingEdge[]>();
    for (const e of pending.values()) {
      const fromUnit = unitIds.has(e.from);
      const other = fromUnit ? e.to : e.from;
      if (fromUnit === unitIds.has(e.to) || (subgraphOf.get(other) ?? '') === ns) continue;
      const k = `${other}\u0000${fromUnit}\u0000${e.kind}\u0000${e.ports}`;
      let l = sets.get(k);
      if (!l) sets.set(k, (l = []));
      l.push(e);
    }
    let box: string | undefined;
    for (const list of sets.values()) {
      if (list.length !== units.length) continue;
      box ??= groupNode({ key: `ns:${ns}`, kind: 'namespace', namespace: ns });
      const first = list[0];
      const fromUnit = unitIds.has(first.from);
      for (const e of list) pending.delete(`${e.from}\u0000${e.to}`);
      addEdge({
        from: fromUnit ? box : first.from,
        to: fromUnit ? first.to : box,
        kind: first.kind,
        direction: first.direction,
        ports: first.ports,
        rules: dedupeRules(list.flatMap((e) => e.rules)),
        notes: [`Every workload of namespace ${clip(ns, 63)} has this arrow`, ...list.flatMap((e) => e.notes)],
      });
    }
  }

  // ---- edges in a stable order: ingress, internal, egress; then by endpoints
  const order = { ingress: 0, internal: 1, egress: 2 } as const;
  const solid = [...pending.values()].sort(
    (a, b) =>
      order[a.direction] - order[b.direction] ||
      (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
  );
  const edges = new Map<string, DiagramEdge>();
  const edgeIds = new Set<string>();
  const edgeId = (base: string): string => {
    let id = base;
    for (let i = 2; edgeIds.has(id); i++) id = `${base}_${i}`;
    edgeIds.add(id);
    return id;
  };
  for (const e of solid) {
    const id = edgeId(`e_${fnv(`${e.from}>${e.to}`)}`);
    edges.set(id, {
      id,
      mermaidId: `L_${e.from}_${e.to}_0`,
      from: e.from,
      to: e.to,
      kind: e.kind,
      direction: e.direction,
      ports: e.ports,
      rules: dedupeRules(e.rules),
      notes: [...new Set(e.notes)],
    });
  }
  let replies = 0;
  if (params.showReplies) {
    for (const e of [...edges.values()]) {
      if (e.from === e.to || pending.has(`${e.to}\u0000${e.from}`)) continue;
      const id = edgeId(`r_${fnv(`${e.to}>${e.from}`)}`);
      edges.set(id, {
        id,
        mermaidId: `L_${e.to}_${e.from}_0`,
        from: e.to,
        to: e.from,
        kind: 'reply',
        direction: e.direction,
        ports: '',
        rules: e.rules,
        notes: ['Replies of an allowed connection are always allowed; they need no rule and are not egress'],
        replyOf: e.id,
      });
      replies++;
    }
  }

  // ---- messages
  const nsPolicies = world.policies.filter((p) => p.namespace === ns);
  const valid = nsPolicies.filter((p) => p.valid).length;
  if (!ns) messages.push('No Kubernetes namespaces or workloads found in the workspace.');
  else {
    if (!units.length) messages.push(`No workloads in namespace ${clip(ns, 63)}.`);
    if (!nsPolicies.length) {
      messages.push(
        `No NetworkPolicy in namespace ${clip(ns, 63)}: no workload is isolated, so every workload accepts and opens all connections.`,
      );
    } else if (!valid) {
      messages.push(
        nsPolicies.length === 1
          ? `The NetworkPolicy of namespace ${clip(ns, 63)} is invalid and ignored: no workload is isolated.`
          : `The ${nsPolicies.length} NetworkPolicies of namespace ${clip(ns, 63)} are invalid and ignored: no workload is isolated.`,
      );
    } else if (valid < nsPolicies.length) {
      messages.push(
        `${nsPolicies.length - valid} of the ${nsPolicies.length} NetworkPolicies of namespace ${clip(ns, 63)} ${nsPolicies.length - valid === 1 ? 'is' : 'are'} invalid and ignored.`,
      );
    }
  }

  const mermaid = emitMermaid(ns, nodes, subgraphOf, edges);
  const mergedWorkloads = units.reduce((n, u) => n + (u.members.length > 1 ? u.members.length : 0), 0);
  const result: DiagramResult = {
    namespace: ns,
    namespaces,
    mermaid,
    nodes: Object.fromEntries(nodes),
    edges: Object.fromEntries(edges),
    stats: {
      workloads: nsClasses.reduce((n, c) => n + conn.classes[c].length, 0),
      policies: valid,
      invalidPolicies: nsPolicies.length - valid,
      nodes: nodes.size,
      edges: edges.size - replies,
      replies,
      mergedWorkloads,
      ms: Math.round((now() - t0) * 10) / 10,
    },
  };
  if (messages.length) result.message = messages.join(' ');
  return result;
}

// ------------------------------------------------------------------------------ text

const LINK_STYLE: Record<string, string> = {
  ingress: 'stroke:#2da44e,stroke-width:2px',
  egress: 'stroke:#3b82f6,stroke-width:2px',
  open: 'stroke:#d97706,stroke-width:2px',
  reply: 'stroke:#8c959f,stroke-width:1px',
};

function label(n: DiagramNode): string {
  // IP node text is formatted by us from parsed addresses (digits, hex, `.:/,`), never verbatim
  const keep = n.kind === 'ip' ? ':' : '';
  const lines = [`<b>${escapeMermaid(n.title, keep)}</b>`, ...n.detail.map((d) => escapeMermaid(d, keep))];
  return `"${lines.join('<br>')}"`;
}

function shape(n: DiagramNode): string {
  const l = label(n);
  switch (n.kind) {
    case 'workload':
      return n.workloads.length > 1 ? `[[${l}]]` : `[${l}]`;
    case 'peer':
      return n.workloads.length > 1 ? `[[${l}]]` : `[${l}]`;
    case 'group':
      return `([${l}])`;
    case 'ip':
      return `{{${l}}}`;
    case 'namespace':
      return `[${l}]`;
  }
}

function emitMermaid(
  ns: string,
  nodes: ReadonlyMap<string, DiagramNode>,
  subgraphOf: ReadonlyMap<string, string>,
  edges: ReadonlyMap<string, DiagramEdge>,
): string {
  const out: string[] = [
    `%% netpol-lens traffic diagram of namespace ${commentSafe(ns)}`,
    '%% solid: connection (green ingress, blue egress, grey inside); dotted: reply; orange: open (not isolated, allow-all)',
    'flowchart LR',
  ];
  const boxes = new Map<string, DiagramNode>(); // namespace -> its box
  const inBox = new Map<string, DiagramNode[]>();
  const outside: DiagramNode[] = [];
  for (const n of nodes.values()) {
    if (n.kind === 'namespace') {
      boxes.set(n.namespace!, n);
      continue;
    }
    const s = subgraphOf.get(n.id) ?? '';
    if (!s) outside.push(n);
    else {
      let l = inBox.get(s);
      if (!l) inBox.set(s, (l = []));
      l.push(n);
    }
  }
  const names = [...boxes.keys()].sort((a, b) => (a === ns ? -1 : b === ns ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const box = boxes.get(name)!;
    const title = [box.title, ...box.detail].map((t) => escapeMermaid(t)).join(' · ');
    out.push(`  subgraph ${box.id}["${title}"]`);
    // a box without arrows to the outside is laid out on its own, top-down unless told
    out.push('    direction LR');
    const list = inBox.get(name) ?? [];
    // an empty subgraph would be drawn as a plain node
    if (!list.length) out.push(`    ${box.id}_empty["${escapeMermaid('no workloads')}"]`);
    for (const n of list) out.push(`    ${n.id}${shape(n)}`);
    out.push('  end');
  }
  for (const n of outside) out.push(`  ${n.id}${shape(n)}`);
  const styles: Record<string, number[]> = { ingress: [], egress: [], open: [], reply: [] };
  let i = 0;
  for (const e of edges.values()) {
    const arrow = e.kind === 'reply' ? '-.->' : '-->';
    out.push(e.ports ? `  ${e.from} ${arrow}|"${escapeMermaid(e.ports)}"| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
    const st =
      e.kind === 'reply' ? 'reply' : e.kind === 'open' ? 'open' : e.direction === 'internal' ? '' : e.direction;
    if (st) styles[st].push(i);
    i++;
  }
  out.push('  classDef open stroke:#d97706,stroke-width:2px,stroke-dasharray:6 3');
  out.push('  classDef group stroke-dasharray:3 3');
  out.push('  classDef ip stroke-dasharray:3 3');
  const openIds = [...nodes.values()].filter((n) => n.open && (n.open.ingress || n.open.egress)).map((n) => n.id);
  const groupIds = [...nodes.values()].filter((n) => n.kind === 'group').map((n) => n.id);
  const ipIds = [...nodes.values()].filter((n) => n.kind === 'ip').map((n) => n.id);
  if (openIds.length) out.push(`  class ${openIds.join(',')} open`);
  if (groupIds.length) out.push(`  class ${groupIds.join(',')} group`);
  if (ipIds.length) out.push(`  class ${ipIds.join(',')} ip`);
  for (const [st, idx] of Object.entries(styles)) {
    for (let k = 0; k < idx.length; k += 200) {
      out.push(`  linkStyle ${idx.slice(k, k + 200).join(',')} ${LINK_STYLE[st]}`);
    }
  }
  return `${out.join('\n')}\n`;
}
