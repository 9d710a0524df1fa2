// Fixes that write policyTypes (NPP03, NPP05: the defaulted types made explicit; NPP04: a
// direction whose rules are ignored), and the same edit for the policyTypes inlay hint.

import type { NormPolicy } from '../../analysis/policy';
import type { ManifestDocument } from '../../model/document';
import { get, getEntry } from '../../model/tree';
import type { NetpolSettings } from '../../settings';
import { appendSeqItem, detectStyle, type Edit, emitFlow, isLiteralKey, isLiteralNode } from '../yamlEdit';
import { addEntry, type Fix, type FixContext, setNullValue } from './support';

/**
 * One fix per list of types: write `policyTypes` with them (a new entry after podSelector, a value
 * for `policyTypes:` with none, or the items of `policyTypes: []`). The first is preferred.
 */
export function policyTypesFixes(c: FixContext, types: Array<'Ingress' | 'Egress'>[]): Fix[] {
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

/** NPP04: add the direction the diagnostic names (`data.addType`) to the written policyTypes. */
export function addTypeFix(c: FixContext): Fix[] {
  const type = c.t.data?.addType;
  if (type !== 'Ingress' && type !== 'Egress') return [];
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
  const c: FixContext = {
    text: doc.text,
    doc,
    st: detectStyle(doc.text),
    policy,
    settings,
    t: { rule: 'NPP03', s: 0, e: 0 },
  };
  return policyTypesFixes(c, [[...types]])[0]?.edits;
}
