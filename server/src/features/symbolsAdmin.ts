// The outline of an admin-tier policy: its tier and priority, subject, and ingress/egress rules
// (action, peers, ports or protocols), read from its tree. Pure.

import type { DocumentSymbol } from 'vscode-languageserver-types';
import { SymbolKind } from 'vscode-languageserver-types';
import { type AdminObject, type AdminRuleView, adminView } from '../analysis/adminKinds';
import { adminValidationErrors } from '../analysis/adminValidity';
import type { ManifestDocument } from '../model/document';
import { nameSpan, rangeIn } from '../model/spans';
import { get, getEntry, type PEntry } from '../model/tree';
import { plural } from '../model/words';
import { peerWords, policyLine, rulePortsWords } from './adminWords';

type Span = { readonly s: number; readonly e: number };

function sym(
  doc: ManifestDocument,
  name: string,
  detail: string,
  kind: SymbolKind,
  span: Span,
  sel: Span,
  children: DocumentSymbol[] = [],
): DocumentSymbol {
  const end = Math.max(span.e, span.s);
  const s = sel.s >= span.s && sel.e <= end ? sel : { s: span.s, e: span.s };
  const out: DocumentSymbol = {
    name: name || ' ',
    detail,
    kind,
    range: rangeIn(doc, span.s, end),
    selectionRange: rangeIn(doc, s.s, s.e),
  };
  if (children.length) out.children = children;
  return out;
}

const entrySpan = (en: PEntry): Span => ({ s: en.ks, e: en.value.e });
const keySpan = (en: PEntry): Span => ({ s: en.ks, e: en.ke });

function ruleSymbol(doc: ManifestDocument, rule: AdminRuleView, v2: boolean): DocumentSymbol {
  const key = rule.direction === 'Ingress' ? 'from' : 'to';
  const peers = get(rule.node, key);
  const items = peers && peers.t === 'seq' ? peers.items : [];
  const children = items.map((p, i) => sym(doc, `${key} ${i + 1}`, peerWords(p, v2), SymbolKind.Field, p, p));
  const portsEn = getEntry(rule.node, v2 ? 'protocols' : 'ports');
  if (portsEn) {
    children.push(
      sym(doc, portsEn.key, rulePortsWords(rule.node), SymbolKind.Property, entrySpan(portsEn), keySpan(portsEn)),
    );
  }
  const name = `rule ${rule.index + 1}${rule.name ? ` ${rule.name}` : ''}`;
  const detail = `${rule.action ?? 'no action'} · ${key} ${plural(items.length, 'peer')} · ${rulePortsWords(rule.node)}`;
  return sym(doc, name, detail, SymbolKind.Method, rule.node, { s: rule.node.s, e: rule.node.s }, children);
}

/** The outline entry of an admin-tier policy. */
export function adminSymbol(obj: AdminObject): DocumentSymbol {
  const doc = obj.doc;
  const view = adminView(obj.kind, obj.node);
  const v2 = obj.kind === 'ClusterNetworkPolicy';
  const spec = get(obj.node, 'spec');
  const children: DocumentSymbol[] = [];
  for (const k of ['tier', 'priority'] as const) {
    const en = getEntry(spec, k);
    if (en && en.value.t === 'scalar') {
      children.push(sym(doc, k, String(en.value.v), SymbolKind.EnumMember, entrySpan(en), keySpan(en)));
    }
  }
  const subj = getEntry(spec, 'subject');
  if (subj) {
    children.push(sym(doc, 'subject', peerWords(subj.value, v2), SymbolKind.Property, entrySpan(subj), keySpan(subj)));
  }
  for (const [key, rules] of [
    ['ingress', view.ingress],
    ['egress', view.egress],
  ] as const) {
    const en = getEntry(spec, key);
    if (!en) continue;
    const ruleSyms = rules.map((r) => ruleSymbol(doc, r, v2));
    children.push(sym(doc, key, plural(rules.length, 'rule'), SymbolKind.Array, entrySpan(en), keySpan(en), ruleSyms));
  }
  const valid = adminValidationErrors(obj.node, obj.doc, obj.listIndex !== undefined).length === 0;
  const detail = `${obj.kind} · ${policyLine(view)}${valid ? '' : ' · invalid'}`;
  return sym(doc, obj.name ?? '(no name)', detail, SymbolKind.Class, obj.node, nameSpan(obj), children);
}
