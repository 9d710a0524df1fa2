// Completion: keys valid at the cursor (NetworkPolicy schema, the label parts of workloads and
// namespaces), enum values, label keys and values that exist in the workspace, named ports of the
// destination workloads, and snippets of the common policies. Reads the text around the cursor
// (lineCursor), so it works in documents broken mid-edit. Pure.

import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind } from 'vscode-languageserver-types';
import { inventoryOf } from '../analysis/inventory';
import type { NormPolicy } from '../analysis/policy';
import { compileSelector } from '../analysis/selectors';
import { normalizedPolicy, NAME_LABEL, type Workload } from '../analysis/world';
import type { ManifestDocument } from '../model/document';
import type { K8sObject } from '../model/resources';
import { get, type PNode, str } from '../model/tree';
import { podLabelsPath, rangeIn } from '../model/spans';
import { kindAtPath, lineCursor, type LineCursor, objectAt, type PathSeg, type Position } from './cursor';
import type { FeatureContext } from './context';
import { featureIndexOf, type Vocab } from './featureIndex';
import { detectStyle, type Style } from './yamlEdit';

// ------------------------------------------------------------------------------ schema

type Shape = 'scalar' | 'map' | 'seqmap' | 'seqscalar' | 'labels';

interface Field {
  readonly shape: Shape;
  readonly doc: string;
  /** For map / seqmap: the fields of the map (or of each item). */
  readonly fields?: () => Schema;
  readonly values?: readonly string[];
  /** Which selector a map of shape `map` is (for label sources). */
  readonly selector?: 'pod' | 'namespace';
}

type Schema = Readonly<Record<string, Field>>;

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

const EXPR: Schema = {
  key: { shape: 'scalar', doc: 'The label key the requirement applies to.' },
  operator: {
    shape: 'scalar',
    doc: '`In`, `NotIn`, `Exists` or `DoesNotExist` (case-sensitive). `NotIn` and `DoesNotExist` also match objects without the label.',
    values: OPERATORS,
  },
  values: {
    shape: 'seqscalar',
    doc: 'Values for `In`/`NotIn` (non-empty); must be empty for `Exists`/`DoesNotExist`.',
  },
};
const SELECTOR: Schema = {
  matchLabels: {
    shape: 'labels',
    doc: 'Label key/value pairs; each is an equality requirement. All requirements are ANDed.',
  },
  matchExpressions: {
    shape: 'seqmap',
    doc: 'Set-based requirements (`key`, `operator`, `values`), ANDed with `matchLabels`.',
    fields: () => EXPR,
  },
};
const IPBLOCK: Schema = {
  cidr: { shape: 'scalar', doc: 'An IPv4 or IPv6 CIDR, e.g. `192.168.1.0/24` (required; a bare IP needs `/32`).' },
  except: { shape: 'seqscalar', doc: 'CIDRs removed from `cidr`; each must lie strictly inside it.' },
};
const PEER: Schema = {
  podSelector: {
    shape: 'map',
    doc: "Pods that match. Without `namespaceSelector` it only looks in the policy's own namespace; with it, both must match (AND).",
    fields: () => SELECTOR,
    selector: 'pod',
  },
  namespaceSelector: {
    shape: 'map',
    doc: 'Namespaces whose pods match (`{}`: every namespace). Alone, it means every pod of those namespaces.',
    fields: () => SELECTOR,
    selector: 'namespace',
  },
  ipBlock: {
    shape: 'map',
    doc: 'Addresses outside the cluster (`cidr`, `except`). Cannot be combined with the selectors.',
    fields: () => IPBLOCK,
  },
};
const PORT: Schema = {
  protocol: {
    shape: 'scalar',
    doc: '`TCP` (the default), `UDP` or `SCTP` (case-sensitive).',
    values: ['TCP', 'UDP', 'SCTP'],
  },
  port: {
    shape: 'scalar',
    doc: 'A number (1-65535) or a named port, looked up on the destination pods. Absent: every port of the protocol.',
  },
  endPort: {
    shape: 'scalar',
    doc: 'Inclusive end of a range starting at a numeric `port` (needs network-plugin support).',
  },
};
const INGRESS_RULE: Schema = {
  from: {
    shape: 'seqmap',
    doc: 'Sources, any of them (OR). Absent or `[]`: every source, including addresses outside the cluster.',
    fields: () => PEER,
  },
  ports: {
    shape: 'seqmap',
    doc: 'Destination ports, any of them (OR). Absent or `[]`: every port of every protocol.',
    fields: () => PORT,
  },
};
const EGRESS_RULE: Schema = {
  to: {
    shape: 'seqmap',
    doc: 'Destinations, any of them (OR). Absent or `[]`: every destination, including the internet.',
    fields: () => PEER,
  },
  ports: {
    shape: 'seqmap',
    doc: 'Destination ports, any of them (OR). Absent or `[]`: every port of every protocol.',
    fields: () => PORT,
  },
};
const SPEC: Schema = {
  podSelector: {
    shape: 'map',
    doc: "The pods of the policy's namespace it applies to (`{}`: every pod).",
    fields: () => SELECTOR,
    selector: 'pod',
  },
  policyTypes: {
    shape: 'seqscalar',
    doc: 'Directions the policy isolates: `Ingress`, `Egress`. Absent: Ingress, plus Egress when there are egress rules.',
    values: ['Ingress', 'Egress'],
  },
  ingress: {
    shape: 'seqmap',
    doc: 'Allow rules for incoming connections (only with Ingress in policyTypes).',
    fields: () => INGRESS_RULE,
  },
  egress: {
    shape: 'seqmap',
    doc: 'Allow rules for outgoing connections (only with Egress in policyTypes).',
    fields: () => EGRESS_RULE,
  },
};
const METADATA: Schema = {
  name: { shape: 'scalar', doc: "The policy's name (DNS-1123 subdomain)." },
  namespace: { shape: 'scalar', doc: 'The namespace the policy applies in; it only selects pods there.' },
  labels: { shape: 'labels', doc: 'Labels of the policy object (no effect on traffic).' },
  annotations: { shape: 'map', doc: 'Annotations (no effect on traffic).' },
};
const POLICY: Schema = {
  apiVersion: { shape: 'scalar', doc: 'Must be `networking.k8s.io/v1`.', values: ['networking.k8s.io/v1'] },
  kind: { shape: 'scalar', doc: '`NetworkPolicy`.', values: ['NetworkPolicy'] },
  metadata: { shape: 'map', doc: 'Name and namespace.', fields: () => METADATA },
  spec: { shape: 'map', doc: 'What the policy selects and allows.', fields: () => SPEC },
};

/** Where a path leads in the schema. */
type Target =
  | { readonly t: 'map'; readonly schema: Schema; readonly selector?: 'pod' | 'namespace' }
  | { readonly t: 'field'; readonly name: string; readonly field: Field; readonly selector?: 'pod' | 'namespace' }
  | { readonly t: 'labels'; readonly selector?: 'pod' | 'namespace' }
  | { readonly t: 'label'; readonly key: string; readonly selector?: 'pod' | 'namespace' }
  | { readonly t: 'item'; readonly name: string; readonly field: Field; readonly selector?: 'pod' | 'namespace' };

function resolve(schema: Schema, path: readonly PathSeg[]): Target | undefined {
  let cur: Target = { t: 'map', schema };
  for (const seg of path) {
    if (cur.t === 'map') {
      if (typeof seg !== 'string') return undefined;
      const f: Field | undefined = cur.schema[seg];
      if (!f) return undefined;
      cur = { t: 'field', name: seg, field: f, selector: f.selector ?? cur.selector };
    } else if (cur.t === 'field') {
      const f: Field = cur.field;
      if (f.shape === 'map' && f.fields && typeof seg === 'string') {
        const sub: Schema = f.fields();
        const g: Field | undefined = sub[seg];
        if (!g) return undefined;
        cur = { t: 'field', name: seg, field: g, selector: g.selector ?? cur.selector };
      } else if (f.shape === 'seqmap' && typeof seg === 'number' && f.fields) {
        cur = { t: 'map', schema: f.fields(), selector: cur.selector };
      } else if (f.shape === 'seqscalar' && typeof seg === 'number') {
        cur = { t: 'item', name: cur.name, field: f, selector: cur.selector };
      } else if (f.shape === 'labels' && typeof seg === 'string') {
        cur = { t: 'label', key: seg, selector: cur.selector };
      } else return undefined;
    } else return undefined;
  }
  return cur;
}

// ------------------------------------------------------------------------------ context

interface Ctx {
  readonly fc: FeatureContext;
  readonly lc: LineCursor;
  readonly doc: ManifestDocument;
  readonly style: Style;
  readonly obj?: K8sObject;
  readonly kind?: string;
  readonly objPath: readonly PathSeg[];
  readonly items: CompletionItem[];
}

function editRange(c: Ctx): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return rangeIn(c.doc, c.lc.replaceStart, c.lc.replaceEnd);
}

function needsSpace(c: Ctx): boolean {
  const t = c.doc.text;
  return c.lc.replaceStart > 0 && t[c.lc.replaceStart - 1] === ':';
}

function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, (x) => `\\${x}`);
}

function quoteIfNeeded(v: string): string {
  if (v === '') return '""';
  // values YAML would read as something other than a string, or that need quoting
  if (
    /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/.test(v)
  ) {
    return `"${v}"`;
  }
  if (/^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o?[0-7]+|\.inf|\.nan)$/i.test(v)) {
    return `"${v}"`;
  }
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$/.test(v)) return JSON.stringify(v);
  return v;
}

function add(c: Ctx, item: CompletionItem): void {
  c.items.push(item);
}

function valueItem(
  c: Ctx,
  label: string,
  kind: CompletionItemKind,
  detail?: string,
  doc?: string,
  sort?: number,
  insert = label,
): void {
  const text = `${needsSpace(c) ? ' ' : ''}${insert}`;
  const item: CompletionItem = { label, kind, textEdit: { range: editRange(c), newText: text }, filterText: label };
  if (detail) item.detail = detail;
  if (doc) item.documentation = { kind: MarkupKind.Markdown, value: doc };
  if (sort !== undefined) item.sortText = `${String(sort).padStart(6, '0')}_${label}`;
  add(c, item);
}

function keyInsert(c: Ctx, name: string, f: Field): string {
  if (c.lc.inFlow) return `${name}: $0`;
  const u = ' '.repeat(c.style.unit);
  const seqIn = c.style.seqIndented ? u : '';
  switch (f.shape) {
    case 'scalar':
      return f.values ? `${name}: \${1|${f.values.join(',')}|}` : `${name}: $0`;
    case 'map':
    case 'labels':
      return `${name}:\n${u}$0`;
    case 'seqmap':
      return `${name}:\n${seqIn}- $0`;
    case 'seqscalar':
      return f.values ? `${name}:\n${seqIn}- \${1|${f.values.join(',')}|}` : `${name}:\n${seqIn}- $0`;
  }
}

function keyItems(c: Ctx, schema: Schema): void {
  for (const [name, f] of Object.entries(schema)) {
    if (c.lc.siblings.has(name)) continue;
    add(c, {
      label: name,
      kind: CompletionItemKind.Property,
      detail: f.shape === 'scalar' ? 'field' : f.shape === 'seqmap' || f.shape === 'seqscalar' ? 'list' : 'map',
      documentation: { kind: MarkupKind.Markdown, value: f.doc },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range: editRange(c), newText: keyInsert(c, name, f) },
      filterText: name,
    });
  }
}

// ------------------------------------------------------------------------------ label sources

function policyNamespace(c: Ctx): string {
  if (c.obj) return c.fc.world.namespaceOf(c.obj) || c.fc.world.defaultNamespace;
  const m = /^metadata:[^\n]*\n(?:[ \t]+[^\n]*\n)*?[ \t]+namespace:[ \t]*["']?([A-Za-z0-9.-]+)/m.exec(c.doc.text);
  return m?.[1] ?? c.fc.world.defaultNamespace;
}

/** The tree node at an object path (tolerant: undefined when it is not there). */
function nodeAtPath(c: Ctx, path: readonly PathSeg[]): PNode | undefined {
  let n: PNode | undefined = c.obj?.node;
  for (const seg of path) {
    if (!n) return undefined;
    if (typeof seg === 'number') n = n.t === 'seq' ? n.items[seg] : undefined;
    else n = get(n, seg);
  }
  return n;
}

/** Label vocabulary for a selector at `selPath` (the selector map's path) in a policy. */
function selectorVocab(c: Ctx, selector: 'pod' | 'namespace' | undefined, selPath: readonly PathSeg[]): Vocab {
  const ix = featureIndexOf(c.fc.world);
  if (selector === 'namespace') return ix.namespaceVocab();
  const ns = policyNamespace(c);
  // a peer's podSelector with a namespaceSelector next to it looks in the namespaces that match
  const isPeer =
    selPath.length >= 2 &&
    selPath[selPath.length - 1] === 'podSelector' &&
    typeof selPath[selPath.length - 2] === 'number';
  if (isPeer) {
    const peerNode = nodeAtPath(c, selPath.slice(0, -1));
    const nsNode = get(peerNode, 'namespaceSelector');
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
  }
  return ix.workloadVocab(ns);
}

function labelKeyItems(c: Ctx, vocab: Vocab, what: string, exclude: ReadonlySet<string>): void {
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
    add(c, item);
  }
}

function labelValueItems(c: Ctx, vocab: Vocab, key: string, what: string): void {
  const vals = vocab.get(key);
  if (!vals) return;
  const sorted = [...vals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  sorted.forEach(([v, n], i) =>
    valueItem(c, v, CompletionItemKind.Value, `${key}=${v} on ${n} ${what}`, undefined, i, quoteIfNeeded(v)),
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

function portItems(c: Ctx, dir: 'ingress' | 'egress', ruleIndex: number, entryPath: readonly PathSeg[]): void {
  const protoWritten = str(get(nodeAtPath(c, entryPath), 'protocol'));
  const proto = protoWritten ?? (c.lc.siblings.has('protocol') ? undefined : 'TCP');
  const named = new Map<string, Map<string, Set<string>>>(); // name -> "PROTO port" -> workloads
  const numbers = new Map<number, Set<string>>();
  const dsts = portDestinations(c, dir, ruleIndex);
  let scanned = 0;
  for (const w of dsts) {
    if (c.fc.token?.isCancellationRequested || scanned++ > 20000) break;
    for (const cp of w.ports) {
      if (proto && cp.protocol !== proto) continue;
      if (cp.name) {
        let m = named.get(cp.name);
        if (!m) named.set(cp.name, (m = new Map()));
        const k = `${cp.protocol} ${cp.port}`;
        let s = m.get(k);
        if (!s) m.set(k, (s = new Set()));
        s.add(w.name);
      }
      let s = numbers.get(cp.port);
      if (!s) numbers.set(cp.port, (s = new Set()));
      s.add(w.name);
    }
  }
  const whose = dir === 'ingress' ? 'the selected pods' : 'the destination pods';
  let i = 0;
  for (const [name, m] of [...named].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const res = [...m].map(
      ([k, ws]) => `${k} on ${[...ws].slice(0, 3).join(', ')}${ws.size > 3 ? ` and ${ws.size - 3} more` : ''}`,
    );
    valueItem(
      c,
      name,
      CompletionItemKind.Reference,
      res[0],
      `Named port of ${whose}:\n\n${res.map((r) => `- ${r}`).join('\n')}`,
      i++,
    );
  }
  for (const [n, ws] of [...numbers].sort((a, b) => a[0] - b[0])) {
    valueItem(
      c,
      String(n),
      CompletionItemKind.Value,
      `containerPort on ${[...ws].slice(0, 3).join(', ')}${ws.size > 3 ? ` and ${ws.size - 3} more` : ''}`,
      undefined,
      1000 + i++,
    );
  }
}

// ------------------------------------------------------------------------------ snippets

function snippetItems(c: Ctx): void {
  const unit = c.style.unit;
  const seq = c.style.seqIndented ? unit : 0;
  const sp = (n: number): string => ' '.repeat(n);
  const nsNames = [...c.fc.world.namespaces.keys()].filter((n) => /^[a-z0-9.-]+$/.test(n)).sort();
  const here = policyNamespace(c);
  const nsChoice = (i: number): string =>
    nsNames.length
      ? `\${${i}|${[here, ...nsNames.filter((n) => n !== here)].slice(0, 30).join(',')}|}`
      : `\${${i}:${snippetEscape(here)}}`;
  const head = (name: string): string[] => [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `${sp(unit)}name: \${1:${name}}`,
    `${sp(unit)}namespace: ${nsChoice(2)}`,
    'spec:',
  ];
  // columns: rule items under ingress/egress, their keys, peer items under from/to, their keys
  const ruleDash = unit + seq;
  const ruleKey = ruleDash + 2;
  const peerDash = ruleKey + seq;
  const peerKey = peerDash + 2;
  const dns = c.fc.settings.dns;
  const types = (...t: string[]): string[] => [`${sp(unit)}policyTypes:`, ...t.map((x) => `${sp(ruleDash)}- ${x}`)];
  const defs: Array<{ label: string; detail: string; body: string[] }> = [
    {
      label: 'NetworkPolicy: default-deny ingress',
      detail: 'deny every incoming connection to every pod of the namespace',
      body: [...head('default-deny-ingress'), `${sp(unit)}podSelector: {}`, ...types('Ingress')],
    },
    {
      label: 'NetworkPolicy: default-deny all',
      detail: 'deny every incoming and outgoing connection of every pod of the namespace',
      body: [...head('default-deny-all'), `${sp(unit)}podSelector: {}`, ...types('Ingress', 'Egress')],
    },
    {
      label: 'NetworkPolicy: allow DNS egress',
      detail: `allow UDP and TCP ${dns.port} to the cluster DNS (${dns.namespace})`,
      body: [
        ...head('allow-dns-egress'),
        `${sp(unit)}podSelector: {}`,
        ...types('Egress'),
        `${sp(unit)}egress:`,
        `${sp(ruleDash)}- to:`,
        `${sp(peerDash)}- namespaceSelector:`,
        `${sp(peerKey + unit)}matchLabels:`,
        `${sp(peerKey + 2 * unit)}${NAME_LABEL}: ${snippetEscape(quoteIfNeeded(dns.namespace))}`,
        `${sp(peerKey)}podSelector:`,
        `${sp(peerKey + unit)}matchLabels:`,
        ...Object.entries(dns.podLabels).map(
          ([k, v]) => `${sp(peerKey + 2 * unit)}${snippetEscape(quoteIfNeeded(k))}: ${snippetEscape(quoteIfNeeded(v))}`,
        ),
        `${sp(ruleKey)}ports:`,
        `${sp(ruleKey + seq)}- protocol: UDP`,
        `${sp(ruleKey + seq + 2)}port: ${dns.port}`,
        `${sp(ruleKey + seq)}- protocol: TCP`,
        `${sp(ruleKey + seq + 2)}port: ${dns.port}`,
      ],
    },
    {
      label: 'NetworkPolicy: allow from same namespace',
      detail: "allow incoming connections from every pod of the policy's own namespace",
      body: [
        ...head('allow-same-namespace'),
        `${sp(unit)}podSelector: {}`,
        ...types('Ingress'),
        `${sp(unit)}ingress:`,
        `${sp(ruleDash)}- from:`,
        `${sp(peerDash)}- podSelector: {}`,
      ],
    },
    {
      label: 'NetworkPolicy: allow from a namespace by name',
      detail: `allow incoming connections from every pod of one namespace (by ${NAME_LABEL})`,
      body: [
        ...head('allow-from-namespace'),
        `${sp(unit)}podSelector: {}`,
        ...types('Ingress'),
        `${sp(unit)}ingress:`,
        `${sp(ruleDash)}- from:`,
        `${sp(peerDash)}- namespaceSelector:`,
        `${sp(peerKey + unit)}matchLabels:`,
        `${sp(peerKey + 2 * unit)}${NAME_LABEL}: ${nsChoice(3)}`,
      ],
    },
  ];
  defs.forEach((d, i) => {
    add(c, {
      label: d.label,
      kind: CompletionItemKind.Snippet,
      detail: d.detail,
      documentation: {
        kind: MarkupKind.Markdown,
        value: `\`\`\`yaml\n${d.body
          .join('\n')
          .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
          .replace(/\$\{\d+:([^}]*)\}/g, '$1')}\n\`\`\``,
      },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range: editRange(c), newText: d.body.join('\n') },
      filterText: `${d.label} networkpolicy ${d.detail}`,
      sortText: `zz${i}`,
    });
  });
}

// ------------------------------------------------------------------------------ dispatch

function policyCompletion(c: Ctx): void {
  const { lc } = c;
  const path = c.objPath;
  if (lc.on === 'key') {
    const t = resolve(POLICY, path);
    if (!t) return;
    if (t.t === 'map') {
      if (path.length === 0 && lc.column === 0 && !c.kind) snippetItems(c);
      keyItems(c, t.schema);
      return;
    }
    if (t.t === 'field') {
      if (t.field.shape === 'map' && t.field.fields) keyItems(c, t.field.fields());
      else if (t.field.shape === 'labels') {
        labelKeyItems(
          c,
          selectorVocab(c, t.selector, path.slice(0, -1)),
          t.selector === 'namespace' ? 'namespaces' : 'workloads',
          lc.siblings,
        );
      } else if (t.field.shape === 'seqscalar') seqScalarItems(c, t.name, t.field, path);
      return;
    }
    if (t.t === 'item') seqScalarItems(c, t.name, t.field, path.slice(0, -1));
    return;
  }
  // a value after `key:`
  const t = resolve(POLICY, path);
  if (!t) return;
  if (t.t === 'label') {
    const what = t.selector === 'namespace' ? 'namespaces' : 'workloads';
    labelValueItems(c, selectorVocab(c, t.selector, path.slice(0, -2)), t.key, what);
    return;
  }
  if (t.t !== 'field') return;
  const name = t.name;
  if (t.field.values && t.field.shape === 'scalar') {
    t.field.values.forEach((v, i) => valueItem(c, v, CompletionItemKind.EnumMember, undefined, undefined, i));
    return;
  }
  if (name === 'namespace' && path.length === 2 && path[0] === 'metadata') {
    [...c.fc.world.namespaces.keys()]
      .sort()
      .forEach((n, i) => valueItem(c, n, CompletionItemKind.Module, 'namespace in the workspace', undefined, i));
    return;
  }
  if (name === 'key' && path.length >= 4 && path[path.length - 3] === 'matchExpressions') {
    // the label key of a requirement
    const selPath = path.slice(0, -3);
    const sel = resolve(POLICY, selPath);
    const vocab = selectorVocab(c, sel && sel.t === 'field' ? sel.selector : undefined, selPath);
    labelKeyItemsAsValues(c, vocab);
    return;
  }
  if (
    name === 'port' &&
    path.length === 6 &&
    path[0] === 'spec' &&
    (path[1] === 'ingress' || path[1] === 'egress') &&
    typeof path[2] === 'number' &&
    path[3] === 'ports'
  ) {
    portItems(c, path[1], path[2], path.slice(0, -1));
  }
}

function labelKeyItemsAsValues(c: Ctx, vocab: Vocab): void {
  const keys = [...vocab]
    .map(([k, vals]) => ({ k, n: [...vals.values()].reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.n - a.n);
  keys.forEach(({ k, n }, i) => valueItem(c, k, CompletionItemKind.Field, `label on ${n} objects`, undefined, i));
}

/** Items of a list of scalars: policyTypes values, matchExpressions values. */
function seqScalarItems(
  c: Ctx,
  name: string,
  field: { values?: readonly string[] },
  listPath: readonly PathSeg[],
): void {
  const prefix = c.lc.inSeqItem || c.lc.inFlow ? '' : `- `;
  if (field.values) {
    const present = new Set<string>();
    const list = nodeAtPath(c, listPath);
    if (list && list.t === 'seq') {
      for (const it of list.items) if (it.t === 'scalar' && typeof it.v === 'string') present.add(it.v);
    }
    field.values.forEach((v, i) => {
      if (!present.has(v) || c.lc.prefix === v) {
        valueItem(c, v, CompletionItemKind.EnumMember, undefined, undefined, i, `${prefix}${v}`);
      }
    });
    return;
  }
  if (name === 'values' && listPath[listPath.length - 3] === 'matchExpressions') {
    const expr = nodeAtPath(c, listPath.slice(0, -1));
    const key = str(get(expr, 'key'));
    const selPath = listPath.slice(0, -3);
    const sel = resolve(POLICY, selPath);
    const selector = sel && sel.t === 'field' ? sel.selector : undefined;
    if (!key) return;
    const vocab = selectorVocab(c, selector, selPath);
    const vals = vocab.get(key);
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
}

function workloadCompletion(c: Ctx, kind: string): void {
  const lp = podLabelsPath(kind);
  const path = c.objPath;
  const ns = policyNamespace(c);
  const ix = featureIndexOf(c.fc.world);
  if (eqPath(path, lp)) {
    if (c.lc.on === 'key') labelKeyItems(c, ix.podSelectorVocab(ns), 'selectors', c.lc.siblings);
    return;
  }
  if (
    c.lc.on === 'value' &&
    path.length === lp.length + 1 &&
    eqPath(path.slice(0, -1), lp) &&
    typeof path[lp.length] === 'string'
  ) {
    labelValueItems(c, ix.podSelectorVocab(ns), String(path[lp.length]), 'selectors');
    return;
  }
  if (c.lc.on === 'key' && eqPath(path, lp.slice(0, -1)) && !c.lc.siblings.has('labels')) {
    keyItems(c, { labels: { shape: 'labels', doc: 'Labels of the pods: what `podSelector`s match.' } });
  }
}

function namespaceCompletion(c: Ctx): void {
  const path = c.objPath;
  const ix = featureIndexOf(c.fc.world);
  if (eqPath(path, ['metadata', 'labels']) && c.lc.on === 'key') {
    labelKeyItems(c, ix.namespaceSelectorVocab(), 'namespaceSelectors', c.lc.siblings);
  } else if (
    path.length === 3 &&
    eqPath(path.slice(0, 2), ['metadata', 'labels']) &&
    c.lc.on === 'value' &&
    typeof path[2] === 'string'
  ) {
    labelValueItems(c, ix.namespaceSelectorVocab(), path[2], 'namespaceSelectors');
  } else if (eqPath(path, ['metadata']) && c.lc.on === 'key' && !c.lc.siblings.has('labels')) {
    keyItems(c, { labels: { shape: 'labels', doc: 'Labels of the namespace: what `namespaceSelector`s match.' } });
  }
}

function eqPath(a: readonly PathSeg[], b: readonly PathSeg[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const EXPECTATION: Schema = {
  from: {
    shape: 'scalar',
    doc: 'Where the connection starts: `namespace/name` of a workload (optionally `namespace/name[Kind]`), or an IP address.',
  },
  to: { shape: 'scalar', doc: 'Where it goes: `namespace/name` of a workload, or an IP address.' },
  port: {
    shape: 'scalar',
    doc: 'Optional: `PORT` or `PORT/PROTOCOL` (TCP by default). Without it, `allowed: true` needs some port and `allowed: false` needs none.',
  },
  allowed: {
    shape: 'scalar',
    doc: 'Whether the connection must be allowed (`true`) or denied (`false`).',
    values: ['true', 'false'],
  },
};

/** ConnectivityExpectations documents: the entry keys, workload references, true/false. */
function expectationsCompletion(c: Ctx): void {
  const path = c.objPath;
  const inItem = path.length === 2 && path[0] === 'expectations' && typeof path[1] === 'number';
  if (inItem && c.lc.on === 'key') {
    keyItems(c, EXPECTATION);
  } else if (
    path.length === 3 &&
    path[0] === 'expectations' &&
    (path[2] === 'from' || path[2] === 'to') &&
    c.lc.on === 'value'
  ) {
    for (const w of c.fc.world.workloads) {
      valueItem(
        c,
        `${w.namespace}/${w.name}`,
        CompletionItemKind.Reference,
        w.kind,
        `${w.kind} ${w.namespace}/${w.name}`,
      );
    }
  } else if (path.length === 3 && path[0] === 'expectations' && path[2] === 'allowed' && c.lc.on === 'value') {
    valueItem(c, 'true', CompletionItemKind.Value, 'must be allowed');
    valueItem(c, 'false', CompletionItemKind.Value, 'must be denied');
  } else if (path.length === 1 && path[0] === 'expectations' && c.lc.on === 'key' && c.lc.inSeqItem) {
    keyItems(c, EXPECTATION);
  }
}

const styles = new WeakMap<object, Style>();

/** The file's indentation style (read from its start; memoised per parsed file). */
function styleOf(file: { text: string }): Style {
  let st = styles.get(file);
  if (!st) styles.set(file, (st = detectStyle(file.text.length > 20000 ? file.text.slice(0, 20000) : file.text)));
  return st;
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
]);

/** Completion items at a position (never throws on broken text). */
export function completion(ctx: FeatureContext, pos: Position): CompletionList {
  const items: CompletionItem[] = [];
  const out: CompletionList = { isIncomplete: false, items };
  if (ctx.file.format === 'json') return out;
  const lc = lineCursor(ctx.file, pos);
  if (!lc) return out;
  const doc = lc.doc;
  if (doc.kind === 'template') return out;
  const { kind, objPath } = kindAtPath(doc, lc.path);
  const obj = doc.tree ? objectAt(ctx.file, doc, lc.offset) : undefined;
  const c: Ctx = {
    fc: ctx,
    lc,
    doc,
    style: styleOf(ctx.file),
    obj: obj && (!kind || obj.kind === kind) ? obj : undefined,
    kind,
    objPath,
    items,
  };
  if (!kind || kind === 'NetworkPolicy') policyCompletion(c);
  else if (WORKLOAD_KINDS.has(kind)) workloadCompletion(c, kind);
  else if (kind === 'Namespace') namespaceCompletion(c);
  else if (kind === 'ConnectivityExpectations') expectationsCompletion(c);
  return out;
}
