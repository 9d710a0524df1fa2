// Quick fixes for diagnostics. Each fix is a minimal edit at exact offsets that keeps comments,
// quoting and indentation (see yamlEdit.ts); tests apply every fix and compare the text exactly.

import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
import { NAME_LABEL, normalizedPolicy, documentObjects, type World } from '../analysis/world';
import { parseCidr } from '../analysis/ipset';
import type { NormPolicy } from '../analysis/policy';
import { documentAtLine, type ManifestDocument, type ManifestFile } from '../model/document';
import { get, getEntry, type PEntry, type PMap, type PNode, type PScalar, type PSeq } from '../model/tree';
import type { NetpolSettings } from '../settings';
import {
  appendSeqItem,
  columnOf,
  detectStyle,
  type Edit,
  emit,
  emitFlow,
  insertMapEntry,
  isLiteralKey,
  isLiteralNode,
  isReplaceableScalar,
  lineEndOf,
  lineStartOf,
  removeMapEntry,
  replaceScalar,
  type Style,
  type YValue,
} from './yamlEdit';

export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
  readonly preferred?: boolean;
}

export interface FixTarget {
  readonly rule: string;
  /** Document-relative span of the diagnostic. */
  readonly s: number;
  readonly e: number;
  readonly data?: Readonly<Record<string, unknown>>;
}

interface Ctx {
  readonly text: string;
  readonly doc: ManifestDocument;
  readonly st: Style;
  readonly policy?: NormPolicy;
  readonly settings: NetpolSettings;
  readonly t: FixTarget;
}

/** The first node (depth first) for which `pred` holds. */
function findNode(root: PNode | null, pred: (n: PNode) => boolean): PNode | undefined {
  if (!root) return undefined;
  let found: PNode | undefined;
  const visit = (n: PNode): void => {
    if (found) return;
    if (pred(n)) {
      found = n;
      return;
    }
    if (n.t === 'map') for (const en of n.entries) visit(en.value);
    else if (n.t === 'seq') for (const it of n.items) visit(it);
  };
  visit(root);
  return found;
}

/** The map entry whose key span starts exactly at `s`, written literally where it stands. */
function entryAtKey(c: Ctx, s: number): { map: PMap; entry: PEntry } | undefined {
  let found: { map: PMap; entry: PEntry } | undefined;
  findNode(c.doc.tree, (n) => {
    if (n.t !== 'map') return false;
    const en = n.entries.find((x) => x.ks === s && !x.shadowed);
    if (en && isLiteralKey(c.text, en) && isLiteralNode(c.text, n)) found = { map: n, entry: en };
    return !!found;
  });
  return found;
}

/**
 * The scalar the diagnostic covers exactly, written literally. (A diagnostic from an older
 * version of the text that no longer covers a scalar gets no fix.)
 */
function scalarAt(c: Ctx): PScalar | undefined {
  const n = findNode(c.doc.tree, (x) => x.t === 'scalar' && x.s === c.t.s && x.e === c.t.e && x.e > x.s);
  return n && n.t === 'scalar' && isLiteralNode(c.text, n) ? n : undefined;
}

/** The text between a key and its value: the offset just after the `:` of an entry. */
function afterColon(c: Ctx, en: PEntry): number | undefined {
  const colon = c.text.indexOf(':', en.ke);
  if (colon === -1 || c.text.slice(en.ke, colon).trim() !== '') return undefined;
  return colon + 1;
}

/**
 * Gives a key without a value (`key:` or `key: null`/`~`) a value: a scalar or an empty
 * collection in place (`key: {}`); a collection in a block map as block lines under the key, a
 * comment after the colon staying on the key's line; in a flow map as flow text.
 */
function setNullValue(c: Ctx, map: PMap, en: PEntry, v: YValue): Edit[] | undefined {
  if (en.value.t !== 'scalar' || en.value.v !== null || !isLiteralKey(c.text, en)) return undefined;
  const written = en.value.e > en.value.s;
  if (
    written &&
    (!isLiteralNode(c.text, en.value) || !/^(?:null|Null|NULL|~)$/.test(c.text.slice(en.value.s, en.value.e)))
  ) {
    return undefined;
  }
  const colon = afterColon(c, en);
  // (a `null` on a line of its own below the key is left alone)
  if (colon === undefined || (written && /[\r\n]/.test(c.text.slice(colon, en.value.s)))) return undefined;
  const flow = emitFlow(v, c.st.json);
  if (map.flow || typeof v !== 'object' || v === null || (Array.isArray(v) ? !v.length : !Object.keys(v).length)) {
    return [written ? { s: en.value.s, e: en.value.e, text: flow } : { s: colon, e: colon, text: ` ${flow}` }];
  }
  const col = columnOf(c.text, en.ks);
  const lines = emit(v, Array.isArray(v) ? col + (c.st.seqIndented ? c.st.unit : 0) : col + c.st.unit, c.st);
  const at = lineEndOf(c.text, colon);
  const insert: Edit = { s: at, e: at, text: `${c.st.eol}${lines.join(c.st.eol)}` };
  // `key: null  # c` -> `key:  # c` and the block below
  return written ? [{ s: colon, e: en.value.e, text: '' }, insert] : [insert];
}

/** Inserts `key: value` into a map (block lines, or flow text in a flow map). */
function addEntry(c: Ctx, map: PMap, key: string, v: YValue, afterKey?: string): Edit {
  const flowText = `${emitFlow(key, c.st.json)}: ${emitFlow(v, c.st.json)}`;
  return insertMapEntry(c.text, map, (col) => emit({ [key]: v }, col, c.st), c.st, afterKey, flowText);
}

function policyTypesFixes(c: Ctx, types: Array<'Ingress' | 'Egress'>[]): Fix[] {
  const spec = c.policy?.specNode;
  if (!spec || !isLiteralNode(c.text, spec)) return [];
  const existing = getEntry(spec, 'policyTypes');
  const out: Fix[] = [];
  for (const t of types) {
    let edits: Edit[] | undefined;
    if (!existing) edits = [addEntry(c, spec, 'policyTypes', t, 'podSelector')];
    else if (existing.value.t === 'scalar') edits = setNullValue(c, spec, existing, t);
    else if (
      existing.value.t === 'seq' &&
      !existing.value.items.length &&
      existing.value.flow &&
      isLiteralNode(c.text, existing.value) &&
      isLiteralKey(c.text, existing)
    ) {
      // `policyTypes: []`: fill the list where it is
      const close = c.text.lastIndexOf(']', existing.value.e - 1);
      if (close > existing.value.s) {
        edits = [{ s: close, e: close, text: t.map((x) => emitFlow(x, c.st.json)).join(', ') }];
      }
    }
    if (!edits) return [];
    out.push({
      title: `Add policyTypes: [${t.join(', ')}]${t.length === 1 && t[0] === 'Egress' ? ' (restrict egress only)' : t.length === 2 ? ' (deny ingress too)' : ''}`,
      edits,
      preferred: out.length === 0,
    });
  }
  return out;
}

function addTypeFix(c: Ctx, type: 'Ingress' | 'Egress'): Fix[] {
  const pt = c.policy?.specNode ? get(c.policy.specNode, 'policyTypes') : undefined;
  if (
    !pt ||
    pt.t !== 'seq' ||
    !isLiteralNode(c.text, pt) ||
    pt.items.some((it) => it.t === 'scalar' && it.v === type)
  ) {
    return [];
  }
  return [{ title: `Add ${type} to policyTypes`, edits: [appendSeqItem(c.text, pt, type, c.st)], preferred: true }];
}

function dnsRule(s: NetpolSettings): YValue {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAME_LABEL]: s.dns.namespace } },
        podSelector: { matchLabels: { ...s.dns.podLabels } },
      },
    ],
    ports: [
      { protocol: 'UDP', port: s.dns.port },
      { protocol: 'TCP', port: s.dns.port },
    ],
  };
}

function dnsFix(c: Ctx): Fix[] {
  const spec = c.policy?.specNode;
  if (!spec || !isLiteralNode(c.text, spec)) return [];
  const rule = dnsRule(c.settings);
  const en = getEntry(spec, 'egress');
  const title = `Allow DNS: egress to ${c.settings.dns.namespace} ${Object.entries(c.settings.dns.podLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')} on UDP and TCP ${c.settings.dns.port}`;
  const fix = (edits: Edit[] | undefined): Fix[] => (edits ? [{ title, edits, preferred: true }] : []);
  if (!en) {
    return fix([addEntry(c, spec, 'egress', [rule], getEntry(spec, 'policyTypes') ? 'policyTypes' : 'podSelector')]);
  }
  const egress = en.value;
  if (!isLiteralKey(c.text, en) || !isLiteralNode(c.text, egress)) return [];
  if (egress.t === 'scalar') return fix(setNullValue(c, spec, en, [rule]));
  if (egress.t !== 'seq') return [];
  if (egress.items.length || spec.flow) return fix([appendSeqItem(c.text, egress, rule, c.st)]);
  // `egress: []` in a block map: a block list in its place; a comment after `[]` stays on the key's line
  const colon = afterColon(c, en);
  if (colon === undefined || c.text.slice(colon, egress.s).trim() !== '') return [];
  const col = columnOf(c.text, en.ks);
  const lines = emit([rule], col + (c.st.seqIndented ? c.st.unit : 0), c.st);
  const at = lineEndOf(c.text, egress.e);
  return fix([
    { s: colon, e: egress.e, text: '' },
    { s: at, e: at, text: `${c.st.eol}${lines.join(c.st.eol)}` },
  ]);
}

/**
 * NPP36 (a namespace whose workloads no policy isolates): add a default-deny policy as a new
 * document after the Namespace manifest. Ingress only; or ingress and egress with the DNS rule, so
 * that name lookups keep working. The names avoid the namespace's existing policies.
 */
function defaultDenyFixes(c: Ctx): Fix[] {
  const d = c.t.data ?? {};
  const ns = d.namespace;
  if (typeof ns !== 'string' || !ns || d.inList || c.st.json) return [];
  const taken = new Set(Array.isArray(d.taken) ? d.taken.filter((x): x is string => typeof x === 'string') : []);
  const nameFor = (base: string): string => {
    let n = base;
    for (let i = 2; taken.has(n); i++) n = `${base}-${i}`;
    return n;
  };
  const doc = (name: string, spec: YValue): string => {
    const lines = emit(
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec },
      0,
      c.st,
    );
    const lead = c.text.length && !/\n$/.test(c.text) ? c.st.eol : '';
    return `${lead}---${c.st.eol}${lines.join(c.st.eol)}${c.st.eol}`;
  };
  const at = c.text.length;
  const out: Fix[] = [];
  if (d.ingress === true) {
    const name = nameFor('default-deny-ingress');
    out.push({
      title: `Add a ${name} policy for namespace ${ns} (ingress that no other policy allows is denied)`,
      edits: [{ s: at, e: at, text: doc(name, { podSelector: {}, policyTypes: ['Ingress'] }) }],
      preferred: false,
    });
  }
  if (d.egress === true || d.ingress === true) {
    const name = nameFor('default-deny');
    out.push({
      title: `Add a ${name} policy for namespace ${ns} (ingress and egress; DNS to ${c.settings.dns.namespace} stays allowed)`,
      edits: [
        {
          s: at,
          e: at,
          text: doc(name, { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [dnsRule(c.settings)] }),
        },
      ],
      preferred: false,
    });
  }
  return out;
}

function quoteFix(c: Ctx): Fix[] {
  const n = scalarAt(c);
  if (!n || n.style !== 'plain') return [];
  const src = c.text.slice(n.s, n.e);
  // a tag (`!!bool true`) would still decide the type, and a multi-line plain scalar is folded
  const before = c.text.slice(lineStartOf(c.text, n.s), n.s);
  if (/[\r\n]/.test(src) || /!\S*\s+$/.test(before)) return [];
  const q = src.includes('"') || src.includes('\\') ? `'${src.replace(/'/g, "''")}'` : `"${src}"`;
  return [{ title: `Quote ${src} so that it is a string`, edits: [{ s: n.s, e: n.e, text: q }], preferred: true }];
}

function unquoteFix(c: Ctx): Fix[] {
  const n = scalarAt(c);
  // the integer fields of a NetworkPolicy are ports: 1-65535
  if (
    !n ||
    (n.style !== 'double' && n.style !== 'single') ||
    typeof n.v !== 'string' ||
    !/^\d{1,5}$/.test(n.v) ||
    !isReplaceableScalar(c.text, n)
  ) {
    return [];
  }
  const num = String(Number(n.v));
  if (Number(num) < 1 || Number(num) > 65535) return [];
  return [{ title: `Remove the quotes: ${num} is a number`, edits: [{ s: n.s, e: n.e, text: num }], preferred: true }];
}

function mergePeersFix(c: Ctx): Fix[] {
  const merge = c.t.data?.merge;
  if (!Array.isArray(merge) || merge.length !== 2 || !merge.every((x) => typeof x === 'number')) return [];
  const [a, b] = [...(merge as number[])].sort((x, y) => x - y);
  // the two peers are adjacent items of one sequence
  const seq = findNode(
    c.doc.tree,
    (n) => n.t === 'seq' && n.items.some((it, i) => it.s === a && n.items[i + 1]?.s === b),
  );
  if (!seq || seq.t !== 'seq') return [];
  const i = seq.items.findIndex((it) => it.s === a);
  const first = seq.items[i];
  const second = seq.items[i + 1];
  if (first.t !== 'map' || second.t !== 'map' || !first.entries.length || !second.entries.length) return [];
  if (
    ![first, second].every(
      (m) =>
        isLiteralNode(c.text, m) && m.entries.every((en) => isLiteralKey(c.text, en) && en.ks >= m.s && en.ke <= m.e),
    )
  ) {
    return [];
  }
  const title = 'Merge into one peer (AND: pods matching both selectors)';
  if (first.flow || second.flow) {
    // `{namespaceSelector: …}, {podSelector: …}` -> `{namespaceSelector: …, podSelector: …}`
    if (!first.flow || !second.flow || !seq.flow) return [];
    const between = c.text.slice(first.e - 1, second.s + 1);
    if (!/^\}\s*,\s*\{$/.test(between)) return [];
    return [{ title, edits: [{ s: first.e - 1, e: second.s + 1, text: ', ' }], preferred: false }];
  }
  // block: the second item's dash becomes a space, so its keys join the first item's map
  const ls = lineStartOf(c.text, b);
  const before = c.text.slice(ls, b);
  const dash = before.lastIndexOf('-');
  if (dash === -1 || before.slice(dash + 1).trim() !== '' || before.slice(0, dash).trim() !== '') return [];
  if (columnOf(c.text, first.entries[0].ks) !== columnOf(c.text, second.entries[0].ks)) return [];
  return [{ title, edits: [{ s: ls + dash, e: ls + dash + 1, text: ' ' }], preferred: false }];
}

/**
 * NPV14 (an ipBlock and a selector in one peer): split the item into two peers. The map's entries
 * must form two runs, the ipBlock and the selectors (in either order); the second run gets its own
 * dash. This changes the meaning to OR, which the title says.
 */
function splitPeerFix(c: Ctx): Fix[] {
  const peer = findNode(
    c.doc.tree,
    (n) => n.t === 'map' && n.entries.some((en) => en.ks === c.t.s) && n.entries.some((en) => en.key === 'ipBlock'),
  );
  if (!peer || peer.t !== 'map' || peer.flow || !isLiteralNode(c.text, peer)) return [];
  const seq = findNode(c.doc.tree, (n) => n.t === 'seq' && n.items.includes(peer));
  if (!seq || seq.t !== 'seq' || seq.flow) return [];
  const entries = peer.entries;
  if (!entries.every((en) => isLiteralKey(c.text, en))) return [];
  const isIp = (k: string): boolean => k === 'ipBlock';
  const isSel = (k: string): boolean => k === 'podSelector' || k === 'namespaceSelector';
  if (!entries.every((en) => isIp(en.key) || isSel(en.key))) return [];
  // exactly one change of group along the entries
  let split = -1;
  for (let i = 1; i < entries.length; i++) {
    if (isIp(entries[i].key) !== isIp(entries[i - 1].key)) {
      if (split !== -1) return [];
      split = i;
    }
  }
  if (split === -1) return [];
  // the first entry follows the item's dash on its line; the split entry starts its own line at
  // the same column, with spaces where the new dash goes
  const first = entries[0];
  const at = entries[split];
  const ls0 = lineStartOf(c.text, first.ks);
  const before0 = c.text.slice(ls0, first.ks);
  const dash = before0.lastIndexOf('-');
  if (dash === -1 || before0.slice(0, dash).trim() !== '' || before0.slice(dash + 1).trim() !== '') return [];
  const ls = lineStartOf(c.text, at.ks);
  if (columnOf(c.text, at.ks) !== columnOf(c.text, first.ks) || c.text.slice(ls, at.ks).trim() !== '') return [];
  const ipFirst = isIp(first.key);
  return [
    {
      title: `Split into two peers: ${ipFirst ? 'the ipBlock OR the selector' : 'the selector OR the ipBlock'} (either one allows the traffic)`,
      edits: [{ s: ls + dash, e: ls + dash + 1, text: '-' }],
      preferred: false,
    },
  ];
}

function nullToEmptyFix(c: Ctx): Fix[] {
  const hit = entryAtKey(c, c.t.s);
  if (!hit) return [];
  const key = hit.entry.key;
  const edits = setNullValue(c, hit.map, hit.entry, {});
  if (!edits) return [];
  return [
    {
      title:
        hit.entry.value.e > hit.entry.value.s
          ? 'Replace null with {} (select everything)'
          : `Write ${key}: {} (select everything)`,
      edits,
      preferred: true,
    },
  ];
}

/** Replaces the scalar of the diagnostic when `still` confirms it holds what the rule reported. */
function replaceValueFix(c: Ctx, value: string, title: string, still: (v: PScalar['v']) => boolean): Fix[] {
  const n = scalarAt(c);
  if (!n || !isReplaceableScalar(c.text, n) || !still(n.v)) return [];
  return [{ title, edits: [replaceScalar(c.text, n, value)], preferred: true }];
}

const API_VERSION = 'networking.k8s.io/v1';

function apiVersionFix(c: Ctx): Fix[] {
  const root = c.policy?.obj.node;
  if (!root || !isLiteralNode(c.text, root)) return [];
  const en = getEntry(root, 'apiVersion');
  if (en && !isLiteralKey(c.text, en)) return [];
  if (en && en.value.t === 'scalar' && en.value.v !== null) {
    if (!isReplaceableScalar(c.text, en.value)) return [];
    return [
      {
        title: `Change apiVersion to ${API_VERSION}`,
        edits: [replaceScalar(c.text, en.value, API_VERSION)],
        preferred: true,
      },
    ];
  }
  if (en) {
    const edits = setNullValue(c, root, en, API_VERSION);
    return edits ? [{ title: `Set apiVersion: ${API_VERSION}`, edits, preferred: true }] : [];
  }
  if (root.flow) {
    return [
      {
        title: `Add apiVersion: ${API_VERSION}`,
        edits: [addEntry(c, root, 'apiVersion', API_VERSION)],
        preferred: true,
      },
    ];
  }
  const first = root.entries[0];
  if (!first || !isLiteralKey(c.text, first)) return [];
  const at = lineStartOf(c.text, first.ks);
  // the first key starts its line (a List item's first key follows its dash: then add after kind)
  if (c.text.slice(at, first.ks).trim() !== '') {
    return [
      {
        title: `Add apiVersion: ${API_VERSION}`,
        edits: [addEntry(c, root, 'apiVersion', API_VERSION, 'kind')],
        preferred: true,
      },
    ];
  }
  return [
    {
      title: `Add apiVersion: ${API_VERSION}`,
      edits: [{ s: at, e: at, text: `${' '.repeat(columnOf(c.text, first.ks))}apiVersion: ${API_VERSION}${c.st.eol}` }],
      preferred: true,
    },
  ];
}

function nameLabelFix(c: Ctx): Fix[] {
  const val = c.t.data?.useNameLabel;
  if (typeof val !== 'string') return [];
  const hit = entryAtKey(c, c.t.s);
  const key = typeof c.t.data?.key === 'string' ? c.t.data.key : 'name';
  if (!hit || hit.entry.key !== key || hit.entry.value.t !== 'scalar' || String(hit.entry.value.v) !== val) return [];
  // with the name label already there, renaming the key would make a duplicate key
  if (getEntry(hit.map, NAME_LABEL)) return [];
  const src = c.text.slice(hit.entry.ks, hit.entry.ke);
  const q = src[0] === '"' || src[0] === "'" ? src[0] : '';
  return [
    {
      title: `Select the namespace by name: ${NAME_LABEL}: ${val}`,
      edits: [{ s: hit.entry.ks, e: hit.entry.ke, text: `${q}${NAME_LABEL}${q}` }],
      preferred: true,
    },
  ];
}

function addNamespaceSelectorFix(c: Ctx): Fix[] {
  const ns = c.t.data?.addNamespaceSelector;
  if (typeof ns !== 'string') return [];
  const hit = entryAtKey(c, c.t.s);
  if (!hit || hit.entry.key !== 'podSelector' || getEntry(hit.map, 'namespaceSelector')) return [];
  const edit = addEntry(c, hit.map, 'namespaceSelector', { matchLabels: { [NAME_LABEL]: ns } }, hit.entry.key);
  return [
    {
      title: `Look in namespace ${ns}: add namespaceSelector (${NAME_LABEL}: ${ns}) to this peer`,
      edits: [edit],
      preferred: true,
    },
  ];
}

function addNamespaceFix(c: Ctx): Fix[] {
  const ns = c.t.data?.addNamespace;
  const meta = c.policy ? get(c.policy.obj.node, 'metadata') : undefined;
  if (typeof ns !== 'string' || !meta || meta.t !== 'map' || !isLiteralNode(c.text, meta)) return [];
  const title = `Set metadata.namespace: ${ns}`;
  const en = getEntry(meta, 'namespace');
  if (!en) return [{ title, edits: [addEntry(c, meta, 'namespace', ns, 'name')], preferred: true }];
  if (!isLiteralKey(c.text, en)) return [];
  // `namespace:` (null) or `namespace: ""`
  if (en.value.t === 'scalar' && en.value.v === '' && isReplaceableScalar(c.text, en.value)) {
    return [{ title, edits: [replaceScalar(c.text, en.value, ns)], preferred: true }];
  }
  const edits = setNullValue(c, meta, en, ns);
  return edits ? [{ title, edits, preferred: true }] : [];
}

function addUdpFix(c: Ctx): Fix[] {
  const port = c.t.data?.addUdp;
  if (typeof port !== 'number') return [];
  // the ports list whose item (a map with `port`) holds the diagnostic
  let list: PSeq | undefined;
  findNode(c.doc.tree, (n) => {
    if (
      n.t === 'seq' &&
      n.items.some((it) => it.t === 'map' && it.s <= c.t.s && c.t.e <= it.e && get(it, 'port')?.s === c.t.s)
    ) {
      list = n;
    }
    return !!list;
  });
  if (!list || !isLiteralNode(c.text, list)) return [];
  return [
    {
      title: `Also allow UDP ${port}`,
      edits: [appendSeqItem(c.text, list, { protocol: 'UDP', port }, c.st)],
      preferred: true,
    },
  ];
}

function removeValuesFix(c: Ctx): Fix[] {
  let map: PMap | undefined;
  findNode(c.doc.tree, (n) => {
    if (n.t === 'map' && n.entries.some((en) => en.key === 'values' && !en.shadowed && en.value.s === c.t.s)) map = n;
    return !!map;
  });
  if (!map || !isLiteralNode(c.text, map)) return [];
  const edit = removeMapEntry(c.text, map, 'values');
  return edit ? [{ title: 'Remove values (Exists/DoesNotExist take none)', edits: [edit], preferred: true }] : [];
}

function addPrefixFix(c: Ctx): Fix[] {
  const prefix = c.t.data?.prefix;
  const n = scalarAt(c);
  if (
    typeof prefix !== 'number' ||
    !n ||
    typeof n.v !== 'string' ||
    n.v.includes('/') ||
    !parseCidr(`${n.v}/${prefix}`) ||
    !isReplaceableScalar(c.text, n)
  ) {
    return [];
  }
  return [
    {
      title: `Add /${prefix}: ${n.v}/${prefix} (this single address)`,
      edits: [replaceScalar(c.text, n, `${n.v}/${prefix}`)],
      preferred: true,
    },
  ];
}

/**
 * The edits that write a policy's effective policyTypes where they are missing (the same edit as
 * the NPP03/NPP05 quick fixes); undefined when the text cannot be edited safely.
 */
export function writePolicyTypesEdits(
  doc: ManifestDocument,
  policy: NormPolicy,
  settings: NetpolSettings,
): readonly Edit[] | undefined {
  const types = (['Ingress', 'Egress'] as const).filter((t) => policy.types.has(t));
  if (!doc.tree || !types.length) return undefined;
  const c: Ctx = { text: doc.text, doc, st: detectStyle(doc.text), policy, settings, t: { rule: 'NPP03', s: 0, e: 0 } };
  return policyTypesFixes(c, [[...types]])[0]?.edits;
}

/** The quick fixes for one finding. */
export function quickFixes(
  doc: ManifestDocument,
  target: FixTarget,
  policy: NormPolicy | undefined,
  settings: NetpolSettings,
): Fix[] {
  const c: Ctx = { text: doc.text, doc, st: detectStyle(doc.text), policy, settings, t: target };
  if (!doc.tree || target.s < 0 || target.e > doc.text.length) return [];
  const d = target.data ?? {};
  switch (target.rule) {
    case 'NPP03':
      return policyTypesFixes(c, [['Egress'], ['Ingress', 'Egress']]);
    case 'NPP05':
      return policyTypesFixes(c, [['Ingress', 'Egress'], ['Egress']]);
    case 'NPP04':
      return d.addType === 'Ingress' || d.addType === 'Egress' ? addTypeFix(c, d.addType) : [];
    case 'NPP10':
      return dnsFix(c);
    case 'NPP09':
      return addUdpFix(c);
    case 'NPP11': {
      const fixes: Fix[] = [];
      const isPort = (v: PScalar['v']): boolean => typeof v === 'number';
      if (typeof d.replacePort === 'number') {
        fixes.push(
          ...replaceValueFix(
            c,
            String(d.replacePort),
            `Use the pod's port ${d.replacePort} (the Service's targetPort)`,
            isPort,
          ),
        );
      }
      if (typeof d.name === 'string') {
        fixes.push(
          ...replaceValueFix(c, d.name, `Use the named port "${d.name}"`, isPort).map((f) => ({
            ...f,
            preferred: false,
          })),
        );
      }
      return fixes;
    }
    case 'NPP01':
      return mergePeersFix(c);
    case 'NPP02':
      return nullToEmptyFix(c);
    case 'NPP19': {
      const canonical = d.canonical;
      return typeof canonical === 'string'
        ? replaceValueFix(
            c,
            canonical,
            `Replace with the canonical ${canonical}`,
            (v) => typeof v === 'string' && v !== canonical && parseCidr(v)?.canonical === canonical,
          )
        : [];
    }
    case 'NPV16':
      return d.fix === 'addPrefix' ? addPrefixFix(c) : [];
    case 'NPV14':
      return splitPeerFix(c);
    case 'NPP36':
      return defaultDenyFixes(c);
    case 'NPD01':
      return d.fix === 'quote' ? quoteFix(c) : d.fix === 'unquote' ? unquoteFix(c) : [];
    case 'NPV08':
      return d.fix === 'unquote' ? unquoteFix(c) : [];
    case 'NPP45':
      return apiVersionFix(c);
    case 'NPP24':
      return nameLabelFix(c);
    case 'NPV05':
    case 'NPV06':
    case 'NPV22': {
      const to = d.replace;
      return typeof to === 'string'
        ? replaceValueFix(
            c,
            to,
            `Change to ${to}`,
            (v) => typeof v === 'string' && v !== to && v.toLowerCase() === to.toLowerCase(),
          )
        : [];
    }
    case 'NPV24':
      return removeValuesFix(c);
    case 'NPP25':
      return addNamespaceSelectorFix(c);
    case 'NPP34':
      return addNamespaceFix(c);
    default:
      return [];
  }
}

function policyAt(file: ManifestFile, doc: ManifestDocument, world: World, off: number): NormPolicy | undefined {
  for (const o of documentObjects(file.uri, doc)) {
    if (o.type === 'policy' && o.node.s <= off && off <= o.node.e) return normalizedPolicy(world, o);
  }
  return undefined;
}

/** LSP code actions for the diagnostics in a range. */
export function codeActions(
  file: ManifestFile,
  _range: Range,
  diagnostics: readonly Diagnostic[],
  world: World,
  settings: NetpolSettings,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const diag of diagnostics) {
    if (diag.source !== 'netpol-lens' || typeof diag.code !== 'string') continue;
    const doc = documentAtLine(file, diag.range.start.line);
    if (!doc) continue;
    const s = doc.offsetAt(diag.range.start.line, diag.range.start.character);
    const e = doc.offsetAt(diag.range.end.line, diag.range.end.character);
    const data = (diag.data && typeof diag.data === 'object' ? diag.data : {}) as Record<string, unknown>;
    const fixes = quickFixes(doc, { rule: diag.code, s, e, data }, policyAt(file, doc, world, s), settings);
    for (const f of fixes) {
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diag],
        isPreferred: !!f.preferred,
        edit: {
          changes: {
            [file.uri]: f.edits.map((ed) => ({
              range: { start: doc.positionAt(ed.s), end: doc.positionAt(ed.e) },
              newText: ed.text,
            })),
          },
        },
      });
    }
  }
  return out;
}

/** Applies edits (document-relative, non-overlapping) to a text; for tests and the CLI. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.s - a.s);
  let out = text;
  for (const ed of sorted) out = out.slice(0, ed.s) + ed.text + out.slice(ed.e);
  return out;
}
