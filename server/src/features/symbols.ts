// Document symbols (an outline of the objects of a file; policies with their podSelector,
// policyTypes, rules, peers and ports) and workspace symbols (policies by name). Pure.

import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver-types';
import { SymbolKind } from 'vscode-languageserver-types';
import { isAdminObject } from '../analysis/adminKinds';
import type { NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import { describeSelector, isMatchAll } from '../analysis/selectors';
import { documentObjects, normalizedPolicy } from '../analysis/world';
import type { ManifestDocument } from '../model/document';
import type { K8sObject } from '../model/resources';
import { getEntry } from '../model/tree';
import { plural } from '../model/words';
import { nameSpan, objectLocation, rangeIn } from '../model/spans';
import type { FeatureContext } from './context';
import { featureIndexOf } from './featureIndex';
import { typesOf } from './phrasing';
import { adminSymbol } from './symbolsAdmin';

function plainPort(p: NonNullable<NormRule['ports']>[number]): string {
  if (p.port === undefined) return `every ${p.protocol} port`;
  if (typeof p.port === 'string') return `${p.protocol} ${p.port}`;
  return p.endPort !== undefined && p.endPort !== p.port
    ? `${p.protocol} ${p.port}-${p.endPort}`
    : `${p.protocol} ${p.port}`;
}

/** A peer in plain words (for outline details). */
function plainPeer(peer: NormPeer, ns: string): string {
  if (peer.kind === 'ipBlock') {
    return `ipBlock ${peer.cidr.canonical}${peer.except.length ? ` except ${peer.except.map((e) => e.canonical).join(', ')}` : ''}`;
  }
  const pods =
    peer.podSelector && !isMatchAll(peer.podSelector) ? describeSelector(peer.podSelector, 'pods') : 'every pod';
  if (!peer.namespaceSelector) return `${pods} in ${ns}`;
  const nss = isMatchAll(peer.namespaceSelector)
    ? 'every namespace'
    : describeSelector(peer.namespaceSelector, 'namespaces');
  return `${pods} in ${nss}`;
}

function sym(
  doc: ManifestDocument,
  name: string,
  detail: string,
  kind: SymbolKind,
  span: { s: number; e: number },
  sel: { s: number; e: number },
  children?: DocumentSymbol[],
): DocumentSymbol {
  const range = rangeIn(doc, span.s, Math.max(span.e, span.s));
  // the selection range must lie inside the range
  const s = sel.s >= span.s && sel.e <= Math.max(span.e, span.s) ? sel : { s: span.s, e: span.s };
  const out: DocumentSymbol = { name: name || ' ', detail, kind, range, selectionRange: rangeIn(doc, s.s, s.e) };
  if (children && children.length) out.children = children;
  return out;
}

function ruleSymbols(doc: ManifestDocument, p: NormPolicy, rules: readonly NormRule[]): DocumentSymbol[] {
  return rules.map((r) => {
    const from = r.direction === 'Ingress' ? 'from' : 'to';
    const children: DocumentSymbol[] = [];
    for (const peer of r.peers ?? []) {
      children.push(
        sym(doc, `${from} ${peer.index + 1}`, plainPeer(peer, p.namespace), SymbolKind.Field, peer.node, peer.node),
      );
    }
    const portsEntry = getEntry(r.node, 'ports');
    if (portsEntry && r.ports) {
      children.push(
        sym(
          doc,
          'ports',
          r.ports.map(plainPort).join(', '),
          SymbolKind.Property,
          { s: portsEntry.ks, e: portsEntry.value.e },
          { s: portsEntry.ks, e: portsEntry.ke },
        ),
      );
    }
    const who = !r.peers
      ? r.direction === 'Ingress'
        ? 'from anywhere'
        : 'to anywhere'
      : `${from} ${plural(r.peers.length, 'peer')}`;
    const ports = !r.ports ? 'all ports' : r.ports.map(plainPort).join(', ');
    return sym(
      doc,
      `rule ${r.index + 1}`,
      `${who} · ${ports}`,
      SymbolKind.Method,
      r.node,
      { s: r.node.s, e: r.node.s },
      children,
    );
  });
}

function policySymbol(ctx: FeatureContext, obj: K8sObject & { type: 'policy' }): DocumentSymbol {
  const p = featureIndexOf(ctx.world).policyOf(obj) ?? normalizedPolicy(ctx.world, obj);
  const doc = obj.doc;
  const children: DocumentSymbol[] = [];
  const spec = p.specNode;
  const ps = getEntry(spec, 'podSelector');
  if (ps) {
    children.push(
      sym(
        doc,
        'podSelector',
        isMatchAll(p.podSelector) ? 'every pod' : describeSelector(p.podSelector, 'pods'),
        SymbolKind.Property,
        { s: ps.ks, e: ps.value.e },
        { s: ps.ks, e: ps.ke },
      ),
    );
  }
  const pt = getEntry(spec, 'policyTypes');
  if (pt) {
    children.push(
      sym(
        doc,
        'policyTypes',
        typesOf(p).join(', '),
        SymbolKind.EnumMember,
        { s: pt.ks, e: pt.value.e },
        { s: pt.ks, e: pt.ke },
      ),
    );
  }
  for (const d of ['Ingress', 'Egress'] as const) {
    const key = d === 'Ingress' ? 'ingress' : 'egress';
    const en = getEntry(spec, key);
    if (!en) continue;
    const rules = d === 'Ingress' ? p.ingress : p.egress;
    const ignored = p.types.has(d) ? '' : ' (ignored)';
    children.push(
      sym(
        doc,
        key,
        `${plural(rules.length, 'rule')}${ignored}`,
        SymbolKind.Array,
        { s: en.ks, e: en.value.e },
        { s: en.ks, e: en.ke },
        ruleSymbols(doc, p, rules),
      ),
    );
  }
  const types = typesOf(p).join(', ');
  const detail = `NetworkPolicy · ${p.namespace}${types ? ` · ${types}` : ''}${p.valid ? '' : ' · invalid'}`;
  return sym(doc, obj.name ?? '(no name)', detail, SymbolKind.Class, obj.node, nameSpan(obj), children);
}

const KIND_SYMBOL: Record<string, SymbolKind> = {
  Namespace: SymbolKind.Namespace,
  Service: SymbolKind.Interface,
};

/** The outline of a file. */
export function documentSymbols(ctx: FeatureContext): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const doc of ctx.file.documents) {
    if (ctx.token?.isCancellationRequested) break;
    for (const obj of documentObjects(ctx.file.uri, doc)) {
      if (obj.type === 'policy') out.push(policySymbol(ctx, obj));
      else if (isAdminObject(obj)) out.push(adminSymbol(obj));
      else if (obj.type !== 'kustomization') {
        const ns = obj.type === 'namespace' ? '' : ctx.world.namespaceOf(obj);
        out.push(
          sym(
            doc,
            obj.name ?? '(no name)',
            `${obj.kind}${ns ? ` · ${ns}` : ''}`,
            KIND_SYMBOL[obj.kind] ?? SymbolKind.Object,
            obj.node,
            nameSpan(obj),
          ),
        );
      }
    }
  }
  return out;
}

/** Does `text` contain the characters of `query` in order (case-insensitive)? */
function fuzzy(query: string, text: string): boolean {
  if (!query) return true;
  let i = 0;
  for (let j = 0; j < text.length && i < query.length; j++) if (text[j] === query[i]) i++;
  return i === query.length;
}

/** Policies whose `namespace/name` matches a query. */
export function workspaceSymbols(
  ctx: Pick<FeatureContext, 'world' | 'token'>,
  query: string,
  limit = 500,
): SymbolInformation[] {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const scored: Array<{ p: NormPolicy; score: number }> = [];
  for (const p of ctx.world.policies) {
    if (ctx.token?.isCancellationRequested) break;
    const name = (p.name || '').toLowerCase();
    const full = `${p.namespace}/${name}`.toLowerCase();
    if (!fuzzy(q, full)) continue;
    const score = name === q ? 0 : name.startsWith(q) ? 1 : name.includes(q) ? 2 : full.includes(q) ? 3 : 4;
    scored.push({ p, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0));
  return scored.slice(0, limit).map(({ p }) => ({
    name: p.name || '(no name)',
    kind: SymbolKind.Class,
    location: objectLocation(p.obj),
    containerName: p.namespace,
  }));
}
