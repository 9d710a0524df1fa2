// Messages about documents and objects rather than policy fields: missing namespace (docs/semantics.md C.34),
// duplicate policy names (docs/semantics.md C.35), namespaces without a default deny (docs/semantics.md C.36), and the NPX messages:
// foreign policy kinds, skipped files, YAML syntax errors, templates, label conflicts, replaced
// objects.

import type { RelatedLocation } from '../analysis/findings';
import type { Direction } from '../analysis/policy';
import type { Workload } from '../analysis/world';
import type { WorkloadObject } from '../model/resources';
import { nameSpan } from '../model/spans';
import { get } from '../model/tree';
import { fileName } from '../model/words';
import type { Report, RuleContext, RuleModule } from './types';
import { keyOf, listNames, workloadLocations } from './util';

// `kind: NetworkPolicy` in block YAML, or `"kind": "NetworkPolicy"` in JSON / flow style (and the
// admin-tier kinds, docs/semantics.md D.1)
const POLICYISH = /(?:^|[{,\s])["']?kind["']?\s*:\s*["']?(?:Admin|BaselineAdmin|Cluster)?NetworkPolicy\b/m;

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
        'CiliumNetworkPolicy, Calico policies and similar are not analysed; connectivity results ignore them (AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy are analysed).',
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
    checkDocumentText(ctx, report);
    checkObjects(ctx, report);
    checkReplaced(ctx, report);
    checkDefaultDeny(ctx, report);
  },
};

/** Templates (NPX04), syntax errors (NPX03) and aliases over the node budget (NPX02). */
function checkDocumentText({ doc }: RuleContext, report: Report): void {
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
}

/** Per object: foreign policy kinds (NPX01), pods unlike their owner's first pod (NPX05), NPP34. */
function checkObjects(ctx: RuleContext, report: Report): void {
  const { world } = ctx;
  for (const o of ctx.objects) {
    if (o.type === 'other' && o.foreignPolicy) {
      const k = keyOf(o.node, 'kind');
      report({
        rule: 'NPX01',
        severity: 'info',
        s: k?.value.s ?? o.node.s,
        e: k?.value.e ?? o.node.s,
        message: `${o.kind} is a ${o.foreignPolicy} policy; netpol-lens does not analyse this kind, so connectivity results ignore it.`,
      });
    }
    if (o.type === 'workload' && o.kind === 'Pod') checkOwnerLabels(ctx, o, report);
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
}

function checkOwnerLabels(ctx: RuleContext, o: WorkloadObject, report: Report): void {
  const w = ctx.world.workloadOf(o);
  if (!w || !w.labelConflicts.includes(o)) return;
  const first = w.sources[0];
  const meta = keyOf(o.node, 'metadata');
  const labelsEn = keyOf(meta?.value, 'labels');
  report({
    rule: 'NPX05',
    severity: 'warning',
    s: labelsEn?.ks ?? o.node.s,
    e: labelsEn?.ke ?? o.node.s,
    message: `This pod belongs to ${w.key} but its labels differ from the first pod of that owner (${first.name}); the analysis uses the first pod's labels for the whole workload, while real policies may treat this pod differently. Check which labels are current (a rollout in progress?) and keep the pods of one owner alike.`,
    related: [{ uri: first.uri, doc: first.doc, s: first.node.s, e: first.node.s, message: `first pod of ${w.key}` }],
  });
}

/** Objects defined again (NPP35 for policies, NPX06 for the rest), from the per-world index. */
function checkReplaced(ctx: RuleContext, report: Report): void {
  const { world } = ctx;
  for (const { mine, other, kept } of ctx.inv.replacedIn(ctx.doc)) {
    const span = nameSpan(mine);
    const ns = world.namespaceOf(mine);
    const isPolicy = mine.kind === 'NetworkPolicy';
    const otherPath = fileName(other.uri);
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

/** What NPP36 says about a namespace: the same for every copy of its manifest (memoised per world). */
interface OpenNamespace {
  /** Per direction lacking a default deny: its phrase. */
  readonly missing: readonly string[];
  readonly open: { readonly ingress: boolean; readonly egress: boolean };
  /** Policy names in use in the namespace (for the quick fixes). */
  readonly taken: readonly string[];
  readonly related: readonly RelatedLocation[];
}

function openNamespace(ctx: RuleContext, ns: string): OpenNamespace | null {
  return ctx.inv.memo(`rules:npp36\u0000${ns}`, () => {
    const wls = ctx.inv.byNamespace.get(ns) ?? [];
    if (!wls.length) return null;
    const openIn = (dir: Direction): Workload[] => wls.filter((w) => ctx.inv.isolatedBy(w, dir).length === 0);
    const missing: string[] = [];
    const openAll = new Set<Workload>();
    for (const dir of ['Ingress', 'Egress'] as const) {
      const open = openIn(dir);
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
    if (!missing.length) return null;
    return {
      missing,
      open: { ingress: openIn('Ingress').length > 0, egress: openIn('Egress').length > 0 },
      taken: ctx.inv.policiesIn(ns).map((p) => p.name),
      related: workloadLocations(
        [...openAll],
        (w) =>
          `${w.key}: not isolated for ${(['Ingress', 'Egress'] as const)
            .filter((d) => ctx.inv.isolatedBy(w, d).length === 0)
            .map((d) => d.toLowerCase())
            .join(' and ')}`,
      ),
    };
  });
}

/** Namespaces without a default deny (NPP36), reported on the Namespace manifest. */
function checkDefaultDeny(ctx: RuleContext, report: Report): void {
  for (const o of ctx.objects) {
    if (o.type !== 'namespace' || !o.name) continue;
    const facts = openNamespace(ctx, o.name);
    if (!facts) continue;
    const nameNode = nameSpan(o);
    report({
      rule: 'NPP36',
      severity: 'info',
      s: nameNode.s,
      e: nameNode.e,
      data: { namespace: o.name, ...facts.open, taken: [...facts.taken], inList: o.listIndex !== undefined },
      related: [...facts.related],
      message: `Namespace ${o.name} has workloads that no policy isolates for ${facts.missing.join(' and for ')}. A default-deny policy (podSelector: {} with policyTypes and no rules) makes new workloads closed by default.`,
    });
  }
}
