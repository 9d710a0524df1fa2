// Messages about documents and objects rather than policy fields: missing namespace (P34),
// duplicate policy names (P35), namespaces without a default deny (P36), and the NPX messages:
// foreign policy kinds, skipped files, YAML syntax errors, templates, label conflicts, replaced
// objects.

import { keyOf, listNames, workloadLocations } from './util';
import type { Workload } from '../analysis/world';
import type { RuleModule } from './types';
import { nameSpan } from '../model/spans';
import { get } from '../model/tree';

// `kind: NetworkPolicy` in block YAML, or `"kind": "NetworkPolicy"` in JSON / flow style
const POLICYISH = /(?:^|[{,\s])["']?kind["']?\s*:\s*["']?NetworkPolicy\b/m;

/**
 * Where to show a syntax error: the parser's position often falls on indentation, a line break or
 * the end of the document; show the rest of the line with content at or after it instead (or the
 * last line with content when nothing follows).
 */
function syntaxErrorSpan(text: string, at: number): { s: number; e: number } {
  let s = Math.max(0, Math.min(at, text.length));
  while (s < text.length && /\s/.test(text[s])) s++;
  if (s >= text.length) {
    let end = Math.min(at, text.length);
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    let start = text.lastIndexOf('\n', end - 1) + 1;
    while (start < end && /\s/.test(text[start])) start++;
    return { s: start, e: end };
  }
  const eol = text.indexOf('\n', s);
  return { s, e: eol === -1 ? text.length : eol };
}

export const documentRules: RuleModule = {
  rules: [
    {
      id: 'NPP34',
      name: 'missing-namespace',
      severity: 'info',
      title: 'policy without metadata.namespace',
      description:
        'Without metadata.namespace the policy lands in whatever namespace kubectl points at. netpol-lens assumes the default namespace (setting netpolLens.defaultNamespace) unless a kustomization sets one.',
      reference: 'C.34',
      fixes: ['Set metadata.namespace to the assumed namespace'],
    },
    {
      id: 'NPP35',
      name: 'duplicate-policy-name',
      severity: 'warning',
      title: 'two policies with the same name in one namespace',
      description:
        'The last one applied silently replaces the other. netpol-lens reads files in path order and keeps the later one.',
      reference: 'C.35',
      crossFile: true,
    },
    {
      id: 'NPP36',
      name: 'no-default-deny',
      severity: 'info',
      title: 'namespace without a default-deny policy',
      description:
        'Pods that no policy selects accept and open every connection. A `podSelector: {}` policy with no rules in each namespace makes new workloads closed by default.',
      reference: 'C.36',
      crossFile: true,
      fixes: [
        'Add a default-deny-ingress policy for the namespace',
        'Add a default-deny policy for ingress and egress that keeps DNS',
      ],
    },
    {
      id: 'NPX01',
      name: 'foreign-policy-kind',
      severity: 'info',
      title: 'policy kind that netpol-lens does not analyse',
      description:
        'CiliumNetworkPolicy, Calico policies, AdminNetworkPolicy and similar are not analysed; connectivity results ignore them.',
    },
    {
      id: 'NPX02',
      name: 'file-skipped',
      severity: 'info',
      title: 'file not analysed',
      description: 'Files above the size limit (netpolLens.maxFileSizeMB) or that look binary are skipped.',
    },
    {
      id: 'NPX03',
      name: 'yaml-syntax-error',
      severity: 'error',
      title: 'YAML syntax error in a NetworkPolicy document',
      description:
        'The document cannot be parsed, so it is not analysed. Reported only for documents that look like NetworkPolicies (other YAML tools report syntax errors elsewhere).',
    },
    {
      id: 'NPX04',
      name: 'template-not-analysed',
      severity: 'info',
      title: 'Helm/Go template not analysed',
      description:
        'Documents containing {{ }} template expressions are left alone; analyse the rendered manifests (helm template …) instead.',
    },
    {
      id: 'NPX05',
      name: 'owner-label-conflict',
      severity: 'warning',
      title: 'pods of one owner with different labels',
      description:
        "Pods owned by the same controller are analysed as one workload with the first pod's labels; a pod with other labels may be treated differently by real policies.",
      crossFile: true,
    },
    {
      id: 'NPX06',
      name: 'object-replaced',
      severity: 'hint',
      title: 'object defined again later',
      description:
        'A later object with the same kind, namespace and name replaces this one in the analysis (files are read in path order).',
      crossFile: true,
    },
  ],
  check(ctx, report) {
    const { doc, world } = ctx;
    // syntax errors / templates
    if (doc.kind === 'template' && POLICYISH.test(doc.text)) {
      // point at the first template expression (cut at the end of its line)
      const tpl = /\{\{[\s\S]*?\}\}|\{\{|\{%/.exec(doc.text);
      const ts = tpl ? tpl.index : 0;
      const eol = doc.text.indexOf('\n', ts);
      const te = Math.min(tpl ? ts + tpl[0].length : ts, eol === -1 ? doc.text.length : eol);
      report({
        rule: 'NPX04',
        severity: 'info',
        s: ts,
        e: te,
        message:
          'This document contains template expressions ({{ }}), so netpol-lens does not analyse it. Render it (helm template …) and analyse the output.',
      });
    }
    if (doc.syntaxErrors.length && POLICYISH.test(doc.text)) {
      for (const e of doc.syntaxErrors.slice(0, 5)) {
        report({
          rule: 'NPX03',
          severity: 'error',
          ...syntaxErrorSpan(doc.text, e.s),
          message: `YAML syntax error: ${e.message.split('\n')[0].replace(/[.:]$/, '')}. kubectl cannot apply this document, and netpol-lens leaves its policy out of the connectivity analysis until the syntax is fixed.`,
        });
      }
    }
    for (const ti of doc.treeIssues) {
      if (ti.code === 'alias-limit') {
        report({
          rule: 'NPX02',
          severity: 'info',
          s: ti.s,
          e: ti.e,
          message: `Not fully analysed: ${ti.message}. Results for this document may be incomplete; expand the aliases or split the document.`,
        });
      }
    }
    for (const o of ctx.objects) {
      if (o.type === 'other' && o.foreignPolicy) {
        const k = keyOf(o.node, 'kind');
        report({
          rule: 'NPX01',
          severity: 'info',
          s: k?.value.s ?? o.node.s,
          e: k?.value.e ?? o.node.s,
          message: `${o.kind} is a ${o.foreignPolicy} policy; netpol-lens analyses Kubernetes NetworkPolicy only, so connectivity results ignore it.`,
        });
      }
      if (o.type === 'workload' && o.kind === 'Pod') {
        const w = world.workloadOf(o);
        if (w && w.labelConflicts.includes(o)) {
          const first = w.sources[0];
          const meta = keyOf(o.node, 'metadata');
          const labelsEn = keyOf(meta?.value, 'labels');
          report({
            rule: 'NPX05',
            severity: 'warning',
            s: labelsEn?.ks ?? o.node.s,
            e: labelsEn?.ke ?? o.node.s,
            message: `This pod belongs to ${w.key} but its labels differ from the first pod of that owner (${first.name}); the analysis uses the first pod's labels for the whole workload, while real policies may treat this pod differently. Check which labels are current (a rollout in progress?) and keep the pods of one owner alike.`,
            related: [
              { uri: first.uri, doc: first.doc, s: first.node.s, e: first.node.s, message: `first pod of ${w.key}` },
            ],
          });
        }
      }
      if (o.type === 'policy') {
        const meta = get(o.node, 'metadata');
        if (!o.namespace && world.namespaceOf(o) === world.defaultNamespace && meta) {
          const nameEn = keyOf(meta, 'name');
          const span = nameEn ? { s: nameEn.ks, e: nameEn.value.e } : { s: meta.s, e: meta.s };
          report({
            rule: 'NPP34',
            severity: 'info',
            s: span.s,
            e: span.e,
            message: `No metadata.namespace: the policy applies in whatever namespace it is applied to (kubectl's current namespace). netpol-lens assumes "${world.defaultNamespace}". Set the namespace explicitly.`,
            data: { addNamespace: world.defaultNamespace },
          });
        }
      }
    }
    // replaced objects (duplicates)
    for (const r of world.replaced) {
      for (const [mine, other, kept] of [
        [r.replaced, r.kept, false],
        [r.kept, r.replaced, true],
      ] as const) {
        if (mine.doc !== doc) continue;
        const span = nameSpan(mine);
        const ns = world.namespaceOf(mine);
        const isPolicy = mine.kind === 'NetworkPolicy';
        const otherPath = other.uri.replace(/^.*\//, '');
        const msg = kept
          ? `${mine.kind} ${ns}/${mine.name} is also defined earlier (${otherPath}); this later definition replaces it${isPolicy ? ' — applying both, the last one silently wins' : ''}. ${isPolicy ? 'Rename one of them or merge their rules.' : 'Remove or rename one of them.'}`
          : `${mine.kind} ${ns}/${mine.name} is defined again later (${otherPath}), which replaces this one${isPolicy ? ': applying both, the last one silently wins and this policy is lost' : ''}. ${isPolicy ? 'Rename one of them or merge their rules.' : 'Remove or rename one of them.'}`;
        report({
          rule: isPolicy ? 'NPP35' : 'NPX06',
          severity: isPolicy ? 'warning' : 'hint',
          s: span.s,
          e: span.e,
          message: msg,
          related: [
            {
              uri: other.uri,
              doc: other.doc,
              s: other.node.s,
              e: other.node.s,
              message: `the other ${mine.kind} ${ns}/${mine.name}`,
            },
          ],
        });
      }
    }
    // namespaces without default deny (reported on the Namespace manifest)
    for (const o of ctx.objects) {
      if (o.type !== 'namespace' || !o.name) continue;
      const wls = ctx.inv.byNamespace.get(o.name) ?? [];
      if (!wls.length) continue;
      const missing: string[] = [];
      const openAll = new Set<Workload>();
      for (const dir of ['Ingress', 'Egress'] as const) {
        const open = wls.filter((w) => ctx.inv.isolatedBy(w, dir).length === 0);
        for (const w of open) openAll.add(w);
        if (open.length) {
          missing.push(
            `${dir.toLowerCase()} (${listNames(
              open.map((w) => w.name),
              3,
            )}: ${dir === 'Ingress' ? 'anything may connect to them' : 'they may connect anywhere'})`,
          );
        }
      }
      if (!missing.length) continue;
      const nameNode = nameSpan(o);
      // for the quick fixes: which directions lack a default deny, and the policy names in use
      const open = {
        ingress: wls.some((w) => ctx.inv.isolatedBy(w, 'Ingress').length === 0),
        egress: wls.some((w) => ctx.inv.isolatedBy(w, 'Egress').length === 0),
      };
      const taken = ctx.world.policies.filter((p) => p.namespace === o.name).map((p) => p.name);
      report({
        rule: 'NPP36',
        severity: 'info',
        s: nameNode.s,
        e: nameNode.e,
        data: { namespace: o.name, ...open, taken, inList: o.listIndex !== undefined },
        related: workloadLocations(
          [...openAll],
          (w) =>
            `${w.key}: not isolated for ${(['Ingress', 'Egress'] as const)
              .filter((d) => ctx.inv.isolatedBy(w, d).length === 0)
              .map((d) => d.toLowerCase())
              .join(' and ')}`,
        ),
        message: `Namespace ${o.name} has workloads that no policy isolates for ${missing.join(' and for ')}. A default-deny policy (podSelector: {} with policyTypes and no rules) makes new workloads closed by default.`,
      });
    }
  },
};
