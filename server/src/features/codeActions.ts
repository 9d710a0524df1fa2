// Quick fixes for diagnostics. Each fix is a minimal edit at exact offsets that keeps comments,
// quoting and indentation (see yamlEdit.ts); tests apply every fix and compare the text exactly.

import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
import { normalizedPolicy, documentObjects, type World } from '../analysis/world';
import type { NormPolicy } from '../analysis/policy';
import { documentAtLine, type ManifestDocument, type ManifestFile } from '../model/document';
import { get, getEntry, type PMap, type PNode } from '../model/tree';
import type { NetpolSettings } from '../settings';
import { appendSeqItem, columnOf, detectStyle, type Edit, emit, emitFlow, endOfNodeLine, insertMapEntry, lineStartOf, replaceScalar, type Style, type YValue } from './yamlEdit';

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

function nodeAt(root: PNode | null, off: number): PNode | undefined {
  if (!root) return undefined;
  let best: PNode | undefined;
  const visit = (n: PNode): void => {
    if (off < n.s || off > n.e) return;
    best = n;
    if (n.t === 'map') for (const en of n.entries) visit(en.value);
    else if (n.t === 'seq') for (const it of n.items) visit(it);
  };
  visit(root);
  return best;
}

/** The map entry whose key span is exactly at `s`. */
function entryAtKey(root: PNode | null, s: number): { map: PMap; key: string } | undefined {
  let found: { map: PMap; key: string } | undefined;
  const visit = (n: PNode): void => {
    if (found) return;
    if (n.t === 'map') {
      for (const en of n.entries) {
        if (en.ks === s) { found = { map: n, key: en.key }; return; }
        visit(en.value);
      }
    } else if (n.t === 'seq') for (const it of n.items) visit(it);
  };
  if (root) visit(root);
  return found;
}

function policyTypesFixes(c: Ctx, types: Array<'Ingress' | 'Egress'>[]): Fix[] {
  const spec = c.policy?.specNode;
  if (!spec) return [];
  const out: Fix[] = [];
  for (const t of types) {
    const edit = insertMapEntry(c.text, spec, (col) => emit({ policyTypes: t }, col, c.st), c.st, 'podSelector', `policyTypes: ${emitFlow(t)}`);
    out.push({ title: `Add policyTypes: [${t.join(', ')}]${t.length === 1 && t[0] === 'Egress' ? ' (restrict egress only)' : t.length === 2 ? ' (deny ingress too)' : ''}`, edits: [edit], preferred: out.length === 0 });
  }
  return out;
}

function addTypeFix(c: Ctx, type: 'Ingress' | 'Egress'): Fix[] {
  const pt = c.policy?.specNode ? get(c.policy.specNode, 'policyTypes') : undefined;
  if (!pt || pt.t !== 'seq') return [];
  return [{ title: `Add ${type} to policyTypes`, edits: [appendSeqItem(c.text, pt, type, c.st)], preferred: true }];
}

function dnsRule(s: NetpolSettings): YValue {
  return {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': s.dns.namespace } }, podSelector: { matchLabels: { ...s.dns.podLabels } } }],
    ports: [{ protocol: 'UDP', port: s.dns.port }, { protocol: 'TCP', port: s.dns.port }],
  };
}

function dnsFix(c: Ctx): Fix[] {
  const spec = c.policy?.specNode;
  if (!spec) return [];
  const rule = dnsRule(c.settings);
  const egress = get(spec, 'egress');
  const title = `Allow DNS: egress to ${c.settings.dns.namespace} ${Object.entries(c.settings.dns.podLabels).map(([k, v]) => `${k}=${v}`).join(',')} on UDP and TCP ${c.settings.dns.port}`;
  if (egress && egress.t === 'seq') {
    if (!egress.flow && egress.items.length) return [{ title, edits: [appendSeqItem(c.text, egress, rule, c.st)], preferred: true }];
    if (egress.flow && egress.items.length) return [{ title, edits: [appendSeqItem(c.text, egress, rule, c.st)], preferred: true }];
    // `egress: []`: replace the empty list with a block list
    const en = getEntry(spec, 'egress')!;
    const colon = c.text.indexOf(':', en.ke);
    const col = columnOf(c.text, en.ks);
    const lines = emit([rule], col + (c.st.seqIndented ? c.st.unit : 0), c.st);
    return [{ title, edits: [{ s: colon + 1, e: egress.e, text: `${c.st.eol}${lines.join(c.st.eol)}` }], preferred: true }];
  }
  const after = getEntry(spec, 'policyTypes') ? 'policyTypes' : 'podSelector';
  return [{ title, edits: [insertMapEntry(c.text, spec, (col) => emit({ egress: [rule] }, col, c.st), c.st, after, `egress: [${emitFlow(rule)}]`)], preferred: true }];
}

function scalarNodeAt(c: Ctx): PNode | undefined {
  const n = nodeAt(c.doc.tree, c.t.s);
  return n && n.t === 'scalar' && n.s === c.t.s ? n : n;
}

function quoteFix(c: Ctx): Fix[] {
  const n = scalarNodeAt(c);
  if (!n || n.t !== 'scalar' || n.style !== 'plain') return [];
  const src = c.text.slice(n.s, n.e);
  return [{ title: `Quote ${src} so that it is a string`, edits: [{ s: n.s, e: n.e, text: src.includes('"') ? `'${src.replace(/'/g, "''")}'` : `"${src}"` }], preferred: true }];
}

function unquoteFix(c: Ctx): Fix[] {
  const n = scalarNodeAt(c);
  if (!n || n.t !== 'scalar' || (n.style !== 'double' && n.style !== 'single') || typeof n.v !== 'string' || !/^\d+$/.test(n.v)) return [];
  return [{ title: `Remove the quotes: ${n.v} is a number`, edits: [{ s: n.s, e: n.e, text: String(Number(n.v)) }], preferred: true }];
}

function mergePeersFix(c: Ctx): Fix[] {
  const merge = c.t.data?.merge as number[] | undefined;
  if (!merge || merge.length !== 2) return [];
  const [a, b] = [...merge].sort((x, y) => x - y);
  const second = nodeAt(c.doc.tree, b);
  const first = nodeAt(c.doc.tree, a);
  if (!second || !first || second.t !== 'map' || first.t !== 'map' || second.flow || first.flow) return [];
  // find the item that starts at b: its dash is just before it on the same line
  const ls = lineStartOf(c.text, b);
  const before = c.text.slice(ls, b);
  const dash = before.lastIndexOf('-');
  if (dash === -1 || before.slice(dash + 1).trim() !== '') return [];
  const firstKeyCol = columnOf(c.text, first.entries[0].ks);
  const secondKeyCol = columnOf(c.text, second.entries[0].ks);
  if (firstKeyCol !== secondKeyCol) return [];
  return [{ title: 'Merge into one peer (AND: pods matching both selectors)', edits: [{ s: ls + dash, e: ls + dash + 1, text: ' ' }], preferred: false }];
}

function nullToEmptyFix(c: Ctx): Fix[] {
  const hit = entryAtKey(c.doc.tree, c.t.s);
  if (!hit) return [];
  const en = getEntry(hit.map, hit.key);
  if (!en || en.value.t !== 'scalar' || en.value.v !== null) return [];
  if (en.value.e > en.value.s) return [{ title: `Replace null with {} (select everything)`, edits: [{ s: en.value.s, e: en.value.e, text: '{}' }], preferred: true }];
  const colon = c.text.indexOf(':', en.ke);
  return [{ title: `Write ${hit.key}: {} (select everything)`, edits: [{ s: colon + 1, e: colon + 1, text: ' {}' }], preferred: true }];
}

function replaceValueFix(c: Ctx, value: string, title: string): Fix[] {
  const n = scalarNodeAt(c);
  if (!n || n.t !== 'scalar') return [];
  return [{ title, edits: [replaceScalar(c.text, n, value)], preferred: true }];
}

function apiVersionFix(c: Ctx): Fix[] {
  const root = c.policy?.obj.node;
  if (!root) return [];
  const en = getEntry(root, 'apiVersion');
  if (en && en.value.t === 'scalar' && en.value.e > en.value.s) return [{ title: 'Change apiVersion to networking.k8s.io/v1', edits: [replaceScalar(c.text, en.value, 'networking.k8s.io/v1')], preferred: true }];
  if (en) {
    const colon = c.text.indexOf(':', en.ke);
    return [{ title: 'Set apiVersion: networking.k8s.io/v1', edits: [{ s: colon + 1, e: colon + 1, text: ' networking.k8s.io/v1' }], preferred: true }];
  }
  if (root.flow) return [];
  const col = columnOf(c.text, root.entries[0]?.ks ?? root.s);
  const at = lineStartOf(c.text, root.entries[0]?.ks ?? root.s);
  return [{ title: 'Add apiVersion: networking.k8s.io/v1', edits: [{ s: at, e: at, text: `${' '.repeat(col)}apiVersion: networking.k8s.io/v1${c.st.eol}` }], preferred: true }];
}

function nameLabelFix(c: Ctx): Fix[] {
  const val = c.t.data?.useNameLabel;
  if (typeof val !== 'string') return [];
  return [{ title: `Select the namespace by name: kubernetes.io/metadata.name: ${val}`, edits: [{ s: c.t.s, e: c.t.s + String(c.t.data?.key ?? 'name').length, text: 'kubernetes.io/metadata.name' }], preferred: true }];
}

function addNamespaceSelectorFix(c: Ctx): Fix[] {
  const ns = c.t.data?.addNamespaceSelector;
  if (typeof ns !== 'string') return [];
  const hit = entryAtKey(c.doc.tree, c.t.s);
  if (!hit || hit.map.flow) return [];
  return [{ title: `Look in namespace ${ns}: add namespaceSelector (kubernetes.io/metadata.name: ${ns}) to this peer`, edits: [insertMapEntry(c.text, hit.map, (col) => emit({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }, col, c.st), c.st, hit.key)], preferred: true }];
}

function addNamespaceFix(c: Ctx): Fix[] {
  const ns = c.t.data?.addNamespace;
  const meta = c.policy ? get(c.policy.obj.node, 'metadata') : undefined;
  if (typeof ns !== 'string' || !meta || meta.t !== 'map') return [];
  return [{ title: `Set metadata.namespace: ${ns}`, edits: [insertMapEntry(c.text, meta, (col) => emit({ namespace: ns }, col, c.st), c.st, 'name', `namespace: ${ns}`)], preferred: true }];
}

function addUdpFix(c: Ctx): Fix[] {
  const port = c.t.data?.addUdp;
  if (typeof port !== 'number') return [];
  // the port entry map contains the diagnostic; its parent is the ports list
  let entry: PMap | undefined;
  let list: PNode | undefined;
  const visit = (n: PNode): void => {
    if (n.t === 'seq') {
      for (const it of n.items) {
        if (it.t === 'map' && it.s <= c.t.s && c.t.e <= it.e && getEntry(it, 'port')) { entry = it; list = n; }
        visit(it);
      }
    } else if (n.t === 'map') for (const en of n.entries) visit(en.value);
  };
  if (c.doc.tree) visit(c.doc.tree);
  if (!entry || !list || list.t !== 'seq') return [];
  return [{ title: `Also allow UDP ${port}`, edits: [appendSeqItem(c.text, list, { protocol: 'UDP', port }, c.st)], preferred: true }];
}

function removeValuesFix(c: Ctx): Fix[] {
  const n = nodeAt(c.doc.tree, c.t.s);
  const hit = (() => {
    let found: { map: PMap } | undefined;
    const visit = (x: PNode): void => {
      if (x.t === 'map') {
        for (const en of x.entries) {
          if (en.key === 'values' && en.value === n) found = { map: x };
          visit(en.value);
        }
      } else if (x.t === 'seq') x.items.forEach(visit);
    };
    if (c.doc.tree) visit(c.doc.tree);
    return found;
  })();
  if (!hit || hit.map.flow) return [];
  const en = getEntry(hit.map, 'values')!;
  const s = lineStartOf(c.text, en.ks);
  if (c.text.slice(s, en.ks).trim() !== '') return [];
  let e = endOfNodeLine(c.text, en.value);
  if (c.text[e] === '\r') e++;
  if (c.text[e] === '\n') e++;
  return [{ title: 'Remove values (Exists/DoesNotExist take none)', edits: [{ s, e, text: '' }], preferred: true }];
}

function addPrefixFix(c: Ctx): Fix[] {
  const prefix = c.t.data?.prefix;
  const n = scalarNodeAt(c);
  if (typeof prefix !== 'number' || !n || n.t !== 'scalar' || typeof n.v !== 'string') return [];
  return [{ title: `Add /${prefix}: ${n.v}/${prefix} (this single address)`, edits: [replaceScalar(c.text, n, `${n.v}/${prefix}`)], preferred: true }];
}

/** The quick fixes for one finding. */
export function quickFixes(doc: ManifestDocument, target: FixTarget, policy: NormPolicy | undefined, settings: NetpolSettings): Fix[] {
  const c: Ctx = { text: doc.text, doc, st: detectStyle(doc.text), policy, settings, t: target };
  const d = target.data ?? {};
  switch (target.rule) {
    case 'NPP03': return policyTypesFixes(c, [['Egress'], ['Ingress', 'Egress']]);
    case 'NPP05': return policyTypesFixes(c, [['Ingress', 'Egress'], ['Egress']]);
    case 'NPP04': return d.addType === 'Ingress' || d.addType === 'Egress' ? addTypeFix(c, d.addType) : [];
    case 'NPP10': return dnsFix(c);
    case 'NPP09': return addUdpFix(c);
    case 'NPP11': {
      const fixes: Fix[] = [];
      if (typeof d.replacePort === 'number') fixes.push(...replaceValueFix(c, String(d.replacePort), `Use the pod's port ${d.replacePort} (the Service's targetPort)`));
      if (typeof d.name === 'string') fixes.push(...replaceValueFix(c, d.name, `Use the named port "${d.name}"`).map((f) => ({ ...f, preferred: false })));
      return fixes;
    }
    case 'NPP01': return mergePeersFix(c);
    case 'NPP02': return nullToEmptyFix(c);
    case 'NPP19': return typeof d.canonical === 'string' ? replaceValueFix(c, d.canonical, `Replace with the canonical ${d.canonical}`) : [];
    case 'NPV16': return d.fix === 'addPrefix' ? addPrefixFix(c) : [];
    case 'NPD01': return d.fix === 'quote' ? quoteFix(c) : d.fix === 'unquote' ? unquoteFix(c) : [];
    case 'NPV08': return d.fix === 'unquote' ? unquoteFix(c) : [];
    case 'NPP45': return apiVersionFix(c);
    case 'NPP24': return nameLabelFix(c);
    case 'NPV05':
    case 'NPV06':
    case 'NPV22': return typeof d.replace === 'string' ? replaceValueFix(c, d.replace, `Change to ${d.replace}`) : [];
    case 'NPV24': return removeValuesFix(c);
    case 'NPP25': return addNamespaceSelectorFix(c);
    case 'NPP34': return addNamespaceFix(c);
    default: return [];
  }
}

function policyAt(file: ManifestFile, doc: ManifestDocument, world: World, off: number): NormPolicy | undefined {
  for (const o of documentObjects(file.uri, doc)) {
    if (o.type === 'policy' && o.node.s <= off && off <= o.node.e) return normalizedPolicy(world, o);
  }
  return undefined;
}

/** LSP code actions for the diagnostics in a range. */
export function codeActions(file: ManifestFile, _range: Range, diagnostics: readonly Diagnostic[], world: World, settings: NetpolSettings): CodeAction[] {
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
        edit: { changes: { [file.uri]: f.edits.map((ed) => ({ range: { start: doc.positionAt(ed.s), end: doc.positionAt(ed.e) }, newText: ed.text })) } },
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

