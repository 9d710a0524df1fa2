// NPT07's quick fix: one v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy converted to a
// v1alpha2 ClusterNetworkPolicy (docs/semantics.md D.6 AP07). Minimal edits: apiVersion and kind
// replaced, `tier` (and the baseline's priority) added to spec, Allow replaced with Accept, each
// `ports` entry rewritten as `protocols`; the subject, the peers, the rule names and every comment
// outside `ports` stay as written. A policy that would not be valid as v1alpha2 gets no fix.

import { get, getEntry, type PEntry, type PMap, type PNode, type PSeq, str } from '../../model/tree';
import { ADMIN_V1ALPHA1, ADMIN_V1ALPHA2 } from '../../schema/adminShared';
import {
  columnOf,
  type Edit,
  emit,
  emitFlow,
  insertMapEntry,
  isLiteralKey,
  isLiteralNode,
  isReplaceableScalar,
  replaceScalar,
  type YValue,
} from '../yamlEdit';
import { findNode, type Fix, type FixContext } from './support';

/** v1alpha2's limits that v1alpha1 allows beyond (rules per direction, peers, protocols). */
const MAX = 25;

/** The object whose `kind` value the diagnostic covers. */
function objectAt(c: FixContext): PMap | undefined {
  const n = findNode(c.doc.tree, (x) => {
    if (x.t !== 'map') return false;
    const k = get(x, 'kind');
    return !!k && k.s === c.t.s && k.e === c.t.e;
  });
  return n && n.t === 'map' ? n : undefined;
}

function replaceIn(c: FixContext, n: PNode | undefined, value: string, edits: Edit[]): boolean {
  if (!n || !isReplaceableScalar(c.text, n)) return false;
  edits.push(replaceScalar(c.text, n, value));
  return true;
}

/** One v1alpha1 port entry as a v1alpha2 protocol entry, or undefined when it has none. */
function protocolOf(entry: PNode): YValue | undefined {
  const named = str(get(entry, 'namedPort'));
  if (named !== undefined) return { destinationNamedPort: named };
  const pn = get(entry, 'portNumber');
  const pr = get(entry, 'portRange');
  const spec = pn ?? pr;
  const proto = str(get(spec, 'protocol')) ?? 'TCP';
  if (!spec || !['TCP', 'UDP', 'SCTP'].includes(proto)) return undefined;
  const num = (k: string): number | undefined => {
    const v = get(spec, k);
    return v && v.t === 'scalar' && typeof v.v === 'number' && v.v >= 1 && v.v <= 65535 ? v.v : undefined;
  };
  let destinationPort: YValue | undefined;
  if (pn) destinationPort = num('port') === undefined ? undefined : { number: num('port')! };
  else {
    const [s, e] = [num('start'), num('end')];
    if (s === undefined || e === undefined || s > e) return undefined; // start > end matches nothing
    destinationPort = s === e ? { number: s } : { range: { start: s, end: e } };
  }
  return destinationPort && { [proto.toLowerCase()]: { destinationPort } };
}

/** The edit that turns a rule's `ports: [...]` into `protocols: [...]`, or undefined when it cannot. */
function portsEdit(c: FixContext, rule: PMap, en: PEntry): Edit | undefined {
  const list = en.value;
  if (list.t !== 'seq' || !isLiteralKey(c.text, en) || !isLiteralNode(c.text, list) || list.items.length > MAX) {
    return undefined;
  }
  const protocols: YValue[] = [];
  for (const it of list.items) {
    const p = protocolOf(it);
    if (!p) return undefined;
    protocols.push(p);
  }
  if (rule.flow || list.flow) {
    return { s: en.ks, e: list.e, text: `protocols: ${emitFlow(protocols, c.st.json)}` };
  }
  let e = list.e;
  while (e > en.ks && /\s/.test(c.text[e - 1])) e--;
  const col = dashColumn(c.text, list);
  return { s: en.ks, e, text: `protocols:${c.st.eol}${emit(protocols, col, c.st).join(c.st.eol)}` };
}

/** Column of the dash of a block sequence's first item. */
function dashColumn(text: string, list: PSeq): number {
  let i = list.items[0].s - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return i >= 0 && text[i] === '-' ? columnOf(text, i) : columnOf(text, list.items[0].s);
}

/** The edits of every rule of a section: Accept for Allow, protocols for ports; false when a rule cannot be converted. */
function ruleEdits(c: FixContext, spec: PMap, section: 'ingress' | 'egress', edits: Edit[]): boolean {
  const list = get(spec, section);
  if (!list) return true;
  if (list.t !== 'seq' || list.items.length > MAX) return false;
  for (const rule of list.items) {
    if (rule.t !== 'map') return false;
    const peers = get(rule, section === 'ingress' ? 'from' : 'to');
    if (peers && peers.t === 'seq' && peers.items.length > MAX) return false;
    const action = get(rule, 'action');
    if (action?.t === 'scalar' && action.v === 'Allow' && !replaceIn(c, action, 'Accept', edits)) return false;
    const ports = getEntry(rule, 'ports');
    if (ports) {
      const ed = portsEdit(c, rule, ports);
      if (!ed) return false;
      edits.push(ed);
    }
  }
  return true;
}

/** NPT07: converts the v1alpha1 policy whose `kind` the diagnostic covers. */
export function migrateFix(c: FixContext): Fix[] {
  const root = objectAt(c);
  const kind = str(get(root, 'kind'));
  if (!root || (kind !== 'AdminNetworkPolicy' && kind !== 'BaselineAdminNetworkPolicy')) return [];
  const spec = get(root, 'spec');
  const api = get(root, 'apiVersion');
  if (!spec || spec.t !== 'map' || !isLiteralNode(c.text, spec) || str(api) !== ADMIN_V1ALPHA1) return [];
  if (kind === 'AdminNetworkPolicy' && typeof (get(spec, 'priority') as { v?: unknown } | undefined)?.v !== 'number') {
    return [];
  }
  const edits: Edit[] = [];
  if (!replaceIn(c, api, ADMIN_V1ALPHA2, edits) || !replaceIn(c, get(root, 'kind'), 'ClusterNetworkPolicy', edits)) {
    return [];
  }
  const added: Record<string, YValue> =
    kind === 'AdminNetworkPolicy' ? { tier: 'Admin' } : { tier: 'Baseline', priority: 1000 };
  const flow = Object.entries(added)
    .map(([k, v]) => `${emitFlow(k, c.st.json)}: ${emitFlow(v, c.st.json)}`)
    .join(', ');
  edits.push(insertMapEntry(c.text, spec, (col) => emit(added, col, c.st), c.st, undefined, flow));
  if (!ruleEdits(c, spec, 'ingress', edits) || !ruleEdits(c, spec, 'egress', edits)) return [];
  const tier = kind === 'AdminNetworkPolicy' ? 'tier: Admin' : 'tier: Baseline, priority 1000';
  return [{ title: `Convert to a v1alpha2 ClusterNetworkPolicy (${tier})`, edits: edits.sort((a, b) => a.s - b.s) }];
}
