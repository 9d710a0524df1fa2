// Completion values found in the workspace: label keys and values of what a selector selects,
// the values of a requirement's key, and the named ports of the workloads a rule's ports apply
// to. Pure.

import { CompletionItemKind, type CompletionItem, MarkupKind } from 'vscode-languageserver-types';
import { inventoryOf } from '../analysis/inventory';
import type { NormPolicy } from '../analysis/policy';
import { compileSelector } from '../analysis/selectors';
import { normalizedPolicy, type Workload } from '../analysis/world';
import { get, str } from '../model/tree';
import { objectSpec, resolvePath } from '../schema';
import type { PathSeg } from './cursor';
import { featureIndexOf, type Vocab } from './featureIndex';
import { type Ctx, editRange, nodeAtPath, policyNamespace, quoteIfNeeded, valueItem } from './completionItems';

type Selects = 'pods' | 'namespaces' | undefined;

/** Where the selector at `selPath` (the selector map's path) leads, and what it selects. */
export function selectsAt(c: Ctx, selPath: readonly PathSeg[]): Selects {
  const t = c.schema && resolvePath(c.schema, selPath);
  return t && t.t === 'field' ? t.selects : undefined;
}

/**
 * The field next to a pod selector that chooses its namespaces (a peer's `namespaceSelector`),
 * from the schema of the selector's parent object.
 */
function namespaceSibling(c: Ctx, selPath: readonly PathSeg[]): string | undefined {
  if (!c.schema || selPath.length < 1) return undefined;
  const parent = resolvePath(c.schema, selPath.slice(0, -1));
  if (!parent || parent.t !== 'object') return undefined;
  const fields = objectSpec(c.schema, parent.type).fields;
  return Object.keys(fields).find((k) => fields[k].selects === 'namespaces' && k !== selPath[selPath.length - 1]);
}

/** Label vocabulary for a selector at `selPath` (the selector map's path) in a policy. */
export function selectorVocab(c: Ctx, selects: Selects, selPath: readonly PathSeg[]): Vocab {
  const ix = featureIndexOf(c.fc.world);
  if (selects === 'namespaces') return ix.namespaceVocab();
  const ns = policyNamespace(c);
  // a pod selector with a namespace selector next to it looks in the namespaces that match
  const sibling = namespaceSibling(c, selPath);
  const nsNode = sibling ? get(nodeAtPath(c, selPath.slice(0, -1)), sibling) : undefined;
  if (nsNode && !(nsNode.t === 'scalar' && nsNode.v === null)) {
    const sel = compileSelector(nsNode);
    if (!sel) return ix.workloadVocab();
    const v: Vocab = new Map();
    for (const n of inventoryOf(c.fc.world).namespacesMatching(sel)) {
      for (const [k, vals] of ix.workloadVocab(n.name)) {
        let m = v.get(k);
        if (!m) v.set(k, (m = new Map()));
        for (const [val, cnt] of vals) m.set(val, (m.get(val) ?? 0) + cnt);
      }
    }
    return v;
  }
  return ix.workloadVocab(ns);
}

export function labelKeyItems(c: Ctx, vocab: Vocab, what: string, exclude: ReadonlySet<string>): void {
  const keys = [...vocab]
    .map(([k, vals]) => ({ k, n: [...vals.values()].reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.n - a.n || (a.k < b.k ? -1 : 1));
  let rank = 0;
  for (const { k, n } of keys) {
    if (exclude.has(k)) continue;
    const vals = [...vocab.get(k)!.keys()];
    const insert = `${quoteIfNeeded(k)}: `;
    const item: CompletionItem = {
      label: k,
      kind: CompletionItemKind.Field,
      detail: `label on ${n} ${what}`,
      documentation: {
        kind: MarkupKind.Markdown,
        value: `Values: ${vals
          .slice(0, 10)
          .map((v) => `\`${v}\``)
          .join(', ')}${vals.length > 10 ? ', …' : ''}`,
      },
      sortText: `${String(rank++).padStart(6, '0')}_${k}`,
      textEdit: { range: editRange(c), newText: insert },
      filterText: k,
    };
    if (vals.length) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
    c.items.push(item);
  }
}

export function labelValueItems(c: Ctx, vocab: Vocab, key: string, what: string): void {
  const vals = vocab.get(key);
  if (!vals) return;
  const sorted = [...vals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  sorted.forEach(([v, n], i) =>
    valueItem(c, v, CompletionItemKind.Value, `${key}=${v} on ${n} ${what}`, undefined, i, quoteIfNeeded(v)),
  );
}

/** A requirement's `key`: the label keys of what its selector selects, most used first. */
export function labelKeyValueItems(c: Ctx, keyPath: readonly PathSeg[]): void {
  const selPath = keyPath.slice(0, -3); // selector, matchExpressions, index, key
  const keys = [...selectorVocab(c, selectsAt(c, selPath), selPath)]
    .map(([k, vals]) => ({ k, n: [...vals.values()].reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.n - a.n);
  keys.forEach(({ k, n }, i) => valueItem(c, k, CompletionItemKind.Field, `label on ${n} objects`, undefined, i));
}

/** Items of a requirement's `values` list: the values of the label its `key` names. */
export function requirementValueItems(c: Ctx, listPath: readonly PathSeg[], prefix: string): void {
  const key = str(get(nodeAtPath(c, listPath.slice(0, -1)), 'key'));
  const selPath = listPath.slice(0, -3); // selector, matchExpressions, index, values
  const selects = selectsAt(c, selPath);
  if (!key) return;
  const vals = selectorVocab(c, selects, selPath).get(key);
  if (!vals) return;
  [...vals]
    .sort((a, b) => b[1] - a[1])
    .forEach(([v, n], i) =>
      valueItem(
        c,
        v,
        CompletionItemKind.Value,
        `${key}=${v} on ${n} objects`,
        undefined,
        i,
        `${prefix}${quoteIfNeeded(v)}`,
      ),
    );
}

// ------------------------------------------------------------------------------ named ports

function policyAt(c: Ctx): NormPolicy | undefined {
  if (!c.obj || c.obj.type !== 'policy') return undefined;
  return featureIndexOf(c.fc.world).policyOf(c.obj) ?? normalizedPolicy(c.fc.world, c.obj);
}

function portDestinations(c: Ctx, dir: 'ingress' | 'egress', ruleIndex: number): readonly Workload[] {
  const inv = inventoryOf(c.fc.world);
  const p = policyAt(c);
  const ns = policyNamespace(c);
  if (!p) return inv.byNamespace.get(ns) ?? [];
  if (dir === 'ingress') return inv.selectedBy(p);
  const rule = p.egress.find((r) => r.index === ruleIndex);
  if (!rule || !rule.peers) return c.fc.world.workloads;
  const set = new Set<Workload>();
  for (const pr of rule.peers) if (pr.kind === 'pods') for (const w of inv.peerWorkloads(pr, p.namespace)) set.add(w);
  return [...set];
}

type Seen = Map<string, Set<string>>;

function remember(m: Seen, k: string, w: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(w);
}

function few(ws: ReadonlySet<string>): string {
  return `${[...ws].slice(0, 3).join(', ')}${ws.size > 3 ? ` and ${ws.size - 3} more` : ''}`;
}

/**
 * A port entry's `port` (at `portPath`: spec, ingress|egress, rule, ports, entry, port): the named
 * ports and the port numbers of the rule's destinations, for the protocol written.
 */
export function portItems(c: Ctx, portPath: readonly PathSeg[]): void {
  const [, dir, ruleIndex] = portPath;
  if ((dir !== 'ingress' && dir !== 'egress') || typeof ruleIndex !== 'number') return;
  const protoWritten = str(get(nodeAtPath(c, portPath.slice(0, -1)), 'protocol'));
  const proto = protoWritten ?? (c.lc.siblings.has('protocol') ? undefined : 'TCP');
  const named = new Map<string, Seen>(); // name -> "PROTO port" -> workloads
  const numbers = new Map<number, Set<string>>();
  let scanned = 0;
  for (const w of portDestinations(c, dir, ruleIndex)) {
    if (c.fc.token?.isCancellationRequested || scanned++ > 20000) break;
    for (const cp of w.ports) {
      if (proto && cp.protocol !== proto) continue;
      if (cp.name) {
        if (!named.has(cp.name)) named.set(cp.name, new Map());
        remember(named.get(cp.name)!, `${cp.protocol} ${cp.port}`, w.name);
      }
      let s = numbers.get(cp.port);
      if (!s) numbers.set(cp.port, (s = new Set()));
      s.add(w.name);
    }
  }
  const whose = dir === 'ingress' ? 'the selected pods' : 'the destination pods';
  let i = 0;
  for (const [name, m] of [...named].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const res = [...m].map(([k, ws]) => `${k} on ${few(ws)}`);
    const doc = `Named port of ${whose}:\n\n${res.map((r) => `- ${r}`).join('\n')}`;
    valueItem(c, name, CompletionItemKind.Reference, res[0], doc, i++);
  }
  for (const [n, ws] of [...numbers].sort((a, b) => a[0] - b[0])) {
    valueItem(c, String(n), CompletionItemKind.Value, `containerPort on ${few(ws)}`, undefined, 1000 + i++);
  }
}
