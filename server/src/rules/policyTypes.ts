// policyTypes pitfalls: egress rules that silently add ingress isolation (docs/semantics.md C.3), rule sections that
// policyTypes ignores (docs/semantics.md C.4), `egress: []` that does not isolate egress (docs/semantics.md C.5), duplicates (docs/semantics.md C.31).

import { get } from '../model/tree';
import type { RuleModule } from './types';
import { keyOf } from './util';

export const policyTypes: RuleModule = {
  rules: [
    {
      id: 'NPP03',
      name: 'egress-rules-without-policy-types',
      severity: 'warning',
      title: 'egress rules without policyTypes also isolate ingress',
      description:
        'With egress rules and no policyTypes, the API server defaults policyTypes to [Ingress, Egress]: the selected pods also lose all incoming traffic not allowed by an ingress rule. Say which you mean: policyTypes: [Egress] to restrict only egress, or [Ingress, Egress] to deny ingress too.',
      reference: 'C.3',
      fixes: ['Add policyTypes: [Egress]', 'Add policyTypes: [Ingress, Egress]'],
    },
    {
      id: 'NPP04',
      name: 'ignored-rule-section',
      severity: 'warning',
      title: 'rules in a section that policyTypes leaves out',
      description:
        'ingress rules with policyTypes: [Egress] (or egress rules with [Ingress]) are ignored: they are dead. Add the type to policyTypes or remove the section.',
      reference: 'C.4',
      fixes: ['Add the missing type to policyTypes'],
    },
    {
      id: 'NPP05',
      name: 'empty-egress-does-not-isolate',
      severity: 'warning',
      title: '`egress: []` without policyTypes does not deny egress',
      description:
        'Defaulting only adds Egress to policyTypes when the egress list has elements. `egress: []` with no policyTypes leaves egress open. Add policyTypes: [Ingress, Egress] (or [Egress]) to deny egress.',
      reference: 'C.5',
      fixes: ['Add policyTypes: [Ingress, Egress]', 'Add policyTypes: [Egress]'],
    },
    {
      id: 'NPP31',
      name: 'duplicate-policy-type',
      severity: 'hint',
      title: 'duplicate policyTypes entry',
      description: '`[Ingress, Ingress]` passes validation but the duplicate is pointless; perhaps Egress was meant.',
      reference: 'C.31',
    },
  ],
  check(ctx, report) {
    for (const p of ctx.policies) {
      const spec = p.specNode;
      if (!spec) continue;
      const ptEntry = keyOf(spec, 'policyTypes');
      const pt = ptEntry?.value;
      const hasExplicit = !!pt && pt.t === 'seq' && pt.items.length > 0;
      const egress = get(spec, 'egress');
      const ingress = get(spec, 'ingress');
      const egressEntry = keyOf(spec, 'egress');
      const ingressEntry = keyOf(spec, 'ingress');
      const egressN = egress && egress.t === 'seq' ? egress.items.length : 0;
      const ingressN = ingress && ingress.t === 'seq' ? ingress.items.length : 0;
      if (!hasExplicit && egressN > 0 && ingressN === 0 && egressEntry) {
        report({
          rule: 'NPP03',
          severity: 'warning',
          s: egressEntry.ks,
          e: egressEntry.ke,
          message: `This policy has egress rules and no policyTypes, so policyTypes defaults to [Ingress, Egress]: its pods also lose every incoming connection${ingressEntry ? ' (the ingress list is empty)' : ' (there are no ingress rules)'}. If you only meant to restrict egress, add policyTypes: [Egress]; if denying ingress is intended, say so with [Ingress, Egress].`,
          data: { policyTypesFix: true },
        });
      }
      if (!hasExplicit && egress && egress.t === 'seq' && egressN === 0 && egressEntry) {
        report({
          rule: 'NPP05',
          severity: 'warning',
          s: egressEntry.ks,
          e: egress.e,
          message:
            '`egress: []` does not isolate egress: without policyTypes, Egress is only added when the egress list has elements, so egress stays open. To deny all egress, add policyTypes: [Ingress, Egress] (or [Egress]).',
          data: { policyTypesFix: true },
        });
      }
      if (hasExplicit && pt && pt.t === 'seq') {
        if (ingressN > 0 && !p.types.has('Ingress') && ingressEntry) {
          report({
            rule: 'NPP04',
            severity: 'warning',
            s: ingressEntry.ks,
            e: ingressEntry.ke,
            message: `${ingressN === 1 ? 'This ingress rule is' : `These ${ingressN} ingress rules are`} ignored: policyTypes does not include Ingress. Add Ingress to policyTypes or remove the ingress section.`,
            data: { addType: 'Ingress' },
            tags: ['unnecessary'],
          });
        }
        if (egressN > 0 && !p.types.has('Egress') && egressEntry) {
          report({
            rule: 'NPP04',
            severity: 'warning',
            s: egressEntry.ks,
            e: egressEntry.ke,
            message: `${egressN === 1 ? 'This egress rule is' : `These ${egressN} egress rules are`} ignored: policyTypes does not include Egress. Add Egress to policyTypes or remove the egress section.`,
            data: { addType: 'Egress' },
            tags: ['unnecessary'],
          });
        }
        const seen = new Set<unknown>();
        // more than two entries is an error of its own (NPV04)
        const items = pt.items.length <= 2 ? pt.items : [];
        for (const it of items) {
          if (it.t !== 'scalar') continue;
          if (seen.has(it.v)) {
            report({
              rule: 'NPP31',
              severity: 'hint',
              s: it.s,
              e: it.e,
              message: `"${String(it.v)}" is listed twice in policyTypes; the duplicate has no effect${it.v === 'Ingress' && !seen.has('Egress') ? ' (did you mean Egress?)' : it.v === 'Egress' && !seen.has('Ingress') ? ' (did you mean Ingress?)' : ''}.`,
              tags: ['unnecessary'],
            });
          }
          seen.add(it.v);
        }
      }
    }
  },
};
