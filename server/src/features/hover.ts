// Hovers that read the policy in plain words and answer from the workspace: effective
// policyTypes, what a selector or peer matches, named-port resolution, ipBlock ranges, which
// policies select a workload; where none of that applies, the documentation of the field from the
// kind's schema. Pure: (context, position) -> Hover. The rules, ports, other kinds and field
// documentation live in hoverRules.ts, hoverPorts.ts, hoverObjects.ts and hoverFields.ts.

import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import { isAdminObject } from '../analysis/adminKinds';
import { inventoryOf } from '../analysis/inventory';
import type { Direction, NormPolicy } from '../analysis/policy';
import { isExpectations } from '../rules/expectations';
import { describeSelector, isMatchAll, matches } from '../analysis/selectors';
import { normalizedPolicy, type Workload } from '../analysis/world';
import { get } from '../model/tree';
import { schemaForKind } from '../schema';
import { type Position, treeCursor, type TreeCursor } from './cursor';
import { allowsPhrase, rulesOf } from './policySummary';
import { bullets, code, esc, namespaceLink, workloadLine } from './markdown';
import { dirWord, labelsText, typesOf, typesSentence } from './phrasing';
import { type FeatureContext } from './context';
import { featureIndexOf } from './featureIndex';
import { plural } from '../model/words';
import { rangeIn } from '../model/spans';
import { REF, refLink, ruleLink } from './docLinks';
import { adminHover } from './hoverAdmin';
import { fieldHover } from './hoverFields';
import { expectationHover, namespaceHover, workloadHover } from './hoverObjects';
import { portHover, portsListHover } from './hoverPorts';
import { ipBlockHover, peerHover, ruleHover } from './hoverRules';

export { destinations, namedPortLines } from './hoverPorts';

function md(lines: readonly string[]): MarkupContent {
  return { kind: MarkupKind.Markdown, value: lines.filter((l) => l !== undefined).join('\n') };
}

function hoverOf(tc: TreeCursor, lines: readonly string[]): Hover {
  const last = tc.nodes[tc.nodes.length - 1];
  let span: { s: number; e: number } | undefined;
  if (tc.on === 'key' && tc.entry) span = { s: tc.entry.ks, e: tc.entry.ke };
  else if (last && last.t === 'scalar' && last.e > last.s) span = last;
  else if (tc.entry) span = { s: tc.entry.ks, e: tc.entry.ke };
  const h: Hover = { contents: md(lines) };
  if (span) h.range = rangeIn(tc.doc, span.s, span.e);
  return h;
}

/** The hover at a position, or null when there is nothing to explain there. */
export function hover(ctx: FeatureContext, pos: Position): Hover | null {
  const tc = treeCursor(ctx.file, pos);
  if (!tc || !tc.obj) return null;
  const obj = tc.obj;
  let lines: string[] | null = null;
  if (obj.type === 'policy') {
    const p = featureIndexOf(ctx.world).policyOf(obj) ?? normalizedPolicy(ctx.world, obj);
    lines = policyHover(ctx, tc, p);
  } else if (obj.type === 'workload') lines = workloadHover(ctx, tc, obj);
  else if (obj.type === 'namespace') lines = namespaceHover(ctx, tc, obj);
  else if (isExpectations(obj)) lines = expectationHover(ctx, tc, obj.node);
  else if (isAdminObject(obj)) lines = adminHover(ctx, tc, obj);
  if (!lines?.length && tc.on === 'key') {
    const schema = schemaForKind(obj.kind, obj.apiVersion);
    if (schema) lines = fieldHover(schema, tc.path);
  }
  return lines && lines.length ? hoverOf(tc, lines) : null;
}

// ------------------------------------------------------------------------------ policies

function policyHover(ctx: FeatureContext, tc: TreeCursor, p: NormPolicy): string[] | null {
  const path = tc.path;
  const [a, b] = path;
  if (path.length === 1 && (a === 'kind' || (a === 'spec' && tc.on === 'key'))) return typesHover(ctx, p);
  if (a === 'spec' && b === 'policyTypes') return typesHover(ctx, p);
  if (a === 'metadata') {
    if (b === 'namespace') return namespaceOfPolicyHover(ctx, p);
    if ((path.length === 1 && tc.on === 'key') || b === 'name') return summaryHover(ctx, p);
    return null;
  }
  if (a !== 'spec') return null;
  if (b === 'podSelector') return podSelectorHover(ctx, p);
  if (b !== 'ingress' && b !== 'egress') return null;
  const dir: Direction = b === 'ingress' ? 'Ingress' : 'Egress';
  if (path.length === 2) return sectionHover(ctx, p, dir);
  const ri = path[2];
  if (typeof ri !== 'number') return null;
  const rule = rulesOf(p, dir).find((r) => r.index === ri);
  if (!rule) return null;
  const peersKey = dir === 'Ingress' ? 'from' : 'to';
  const c = path[3];
  if (path.length === 3 || (path.length === 4 && c === peersKey)) return ruleHover(ctx, p, rule);
  if (c === peersKey && typeof path[4] === 'number') {
    if (path[5] === 'ipBlock') return ipBlockHover(ctx, rule, path[4], tc);
    return peerHover(ctx, p, rule, path[4], tc);
  }
  if (c === 'ports') {
    if (path.length === 4) return portsListHover(ctx, rule);
    if (typeof path[4] === 'number') return portHover(ctx, p, rule, path[4], tc);
  }
  return null;
}

function invalidNote(ctx: FeatureContext, p: NormPolicy): string[] {
  if (p.valid) return [];
  const f = p.findings.find((x) => x.severity === 'error');
  return [
    '',
    `⚠ This policy is invalid${f ? ` (${ruleLink(ctx, f.rule)}: ${esc(f.message)})` : ''}: the API server rejects it, so it isolates nothing and allows nothing.`,
  ];
}

function typesHover(ctx: FeatureContext, p: NormPolicy): string[] {
  const out = [`**Effective policyTypes: ${typesSentence(p)}.**`, ''];
  const spec = p.specNode;
  const types = p.types;
  for (const d of ['Ingress', 'Egress'] as const) {
    const rules = rulesOf(p, d);
    if (types.has(d)) {
      const what =
        d === 'Ingress'
          ? '**Ingress**: incoming connections to the selected pods are restricted to what the ingress rules allow'
          : '**Egress**: outgoing connections from the selected pods are restricted to what the egress rules allow';
      const n = rules.length
        ? ` (${plural(rules.length, 'rule')}).`
        : `; there are no ${dirWord(d)} rules, so every ${d === 'Ingress' ? 'incoming' : 'outgoing'} connection is denied${d === 'Egress' ? ', DNS lookups included' : ''}.`;
      out.push(`- ${what}${n}`);
    } else {
      out.push(
        `- ${d} is not listed: ${d === 'Ingress' ? 'incoming' : 'outgoing'} connections stay open (unless another policy isolates these pods for ${dirWord(d)}).`,
      );
    }
  }
  out.push('- Replies to allowed connections are always allowed: they are neither ingress nor egress.');
  const ignored: string[] = [];
  for (const d of ['Ingress', 'Egress'] as const) {
    const rules = rulesOf(p, d);
    if (!types.has(d) && rules.length) {
      ignored.push(
        `the \`${dirWord(d)}\` section (${plural(rules.length, 'rule')}) is ignored: ${d} is not in policyTypes (${ruleLink(ctx, 'NPP04')})`,
      );
    }
  }
  const eg = get(spec, 'egress');
  if (p.typesReason === 'defaulted-ingress-only' && eg && eg.t === 'seq' && eg.items.length === 0) {
    ignored.push(`\`egress: []\` is empty, so it does not add Egress: egress stays open (${ruleLink(ctx, 'NPP05')})`);
  }
  if (p.typesReason === 'defaulted-with-egress' && !p.ingress.length) {
    ignored.push(
      `with egress rules and no \`policyTypes\`, Ingress is isolated too and no ingress rule allows anything: write \`policyTypes: [Egress]\` if only egress was meant (${ruleLink(ctx, 'NPP03')})`,
    );
  }
  if (ignored.length) out.push('', ...ignored.map((x) => `Note: ${x}.`));
  if ([...types].some((d) => !rulesOf(p, d).length)) {
    out.push('', "Traffic between a pod and its own node (kubelet probes) and a pod's traffic to itself stay allowed.");
  }
  out.push(...invalidNote(ctx, p));
  out.push('', refLink('NetworkPolicy reference', REF.resource));
  return out;
}

function summaryHover(ctx: FeatureContext, p: NormPolicy): string[] {
  const inv = inventoryOf(ctx.world);
  const sel = inv.selectedBy(p);
  const parts = [
    `selects ${plural(sel.length, 'workload')}`,
    `isolates ${typesOf(p).map(dirWord).join(', ') || 'nothing'}`,
  ];
  const allows = allowsPhrase(ctx.world, p);
  if (allows) parts.push(allows);
  const out = [`**NetworkPolicy ${code(`${p.namespace}/${p.name}`)}**: ${parts.join(' · ')}.`];
  if (!p.obj.namespace) out.push('', ...namespaceOfPolicyHover(ctx, p));
  out.push(...invalidNote(ctx, p));
  return out;
}

function namespaceOfPolicyHover(ctx: FeatureContext, p: NormPolicy): string[] {
  const ns = ctx.world.namespaces.get(p.namespace);
  const out: string[] = [];
  if (p.obj.namespace) {
    out.push(
      `**Namespace ${code(p.namespace)}**: this policy applies there only. It selects pods of ${code(p.namespace)}, and its pod-only peers (a \`podSelector\` without \`namespaceSelector\`) look there.`,
    );
  } else {
    const kust = p.namespace !== ctx.world.defaultNamespace;
    out.push(
      `**No \`metadata.namespace\`**: the policy applies in whatever namespace it is applied to (kubectl's current namespace).`,
    );
    out.push(
      '',
      kust
        ? `Analysed in ${code(p.namespace)}, the namespace a kustomization sets for this file.`
        : `Analysed in ${code(p.namespace)} (the \`netpolLens.defaultNamespace\` setting). See ${ruleLink(ctx, 'NPP34')}.`,
    );
  }
  if (ns) {
    out.push(
      '',
      `Namespace labels: ${esc(labelsText(ns.labels))}${ns.declared ? ` (declared in ${namespaceLink(ns)})` : ' (no Namespace manifest in the workspace declares it)'}.`,
    );
  }
  const others = featureIndexOf(ctx.world).policiesIn(p.namespace).length;
  const wl = inventoryOf(ctx.world).byNamespace.get(p.namespace)?.length ?? 0;
  out.push('', `${plural(wl, 'workload')} and ${plural(others, 'policy', 'policies')} in this namespace.`);
  return out;
}

/** Valid policies of the workload's namespace that isolate it for a direction (no world-wide scan). */
function isolating(ctx: FeatureContext, w: Workload, d: Direction): NormPolicy[] {
  return featureIndexOf(ctx.world)
    .policiesIn(w.namespace)
    .filter((x) => x.valid && x.types.has(d) && matches(x.podSelector, w.labels));
}

function isolationNote(ctx: FeatureContext, p: NormPolicy, w: Workload): string {
  const parts: string[] = [];
  for (const d of ['Ingress', 'Egress'] as const) {
    if (!p.types.has(d)) continue;
    const by = isolating(ctx, w, d).filter((x) => x !== p);
    parts.push(
      `${dirWord(d)} ${by.length ? `(also by ${plural(by.length, 'other policy', 'other policies')})` : '(only by this policy)'}`,
    );
  }
  let s = parts.length ? ` — isolates ${parts.join(', ')}` : '';
  if (w.hostNetwork) s += ` — hostNetwork: what policies do to it is undefined (${ruleLink(ctx, 'NPP39')})`;
  return s;
}

function podSelectorHover(ctx: FeatureContext, p: NormPolicy): string[] {
  const node = get(p.specNode, 'podSelector');
  const all = isMatchAll(p.podSelector);
  const words = all
    ? `every pod in namespace ${code(p.namespace)}${node && node.t === 'map' ? ' (`{}` selects all)' : ' (an absent or empty podSelector selects all)'}`
    : `${esc(describeSelector(p.podSelector, 'pods'))} in namespace ${code(p.namespace)}`;
  const out = [`**podSelector**: ${words}.`, ''];
  const sel = inventoryOf(ctx.world).selectedBy(p);
  const types = typesOf(p);
  if (!sel.length) {
    out.push(
      `Selects no workload in the workspace${all ? ` (namespace ${code(p.namespace)} has none)` : ''}. See ${ruleLink(ctx, 'NPP37')}.`,
    );
  } else {
    out.push(
      `Selects ${plural(sel.length, 'workload')}; this policy isolates ${sel.length === 1 ? 'it' : 'them'} for ${types.join(' and ') || 'nothing'}:`,
    );
    out.push(...bullets(sel, (w) => `${workloadLine(w)}${p.valid ? isolationNote(ctx, p, w) : ''}`));
  }
  out.push(...invalidNote(ctx, p));
  out.push('', refLink('label selectors', REF.labels));
  return out;
}

function sectionHover(ctx: FeatureContext, p: NormPolicy, dir: Direction): string[] {
  const rules = rulesOf(p, dir);
  const key = dirWord(dir);
  const out: string[] = [];
  if (!p.types.has(dir)) {
    out.push(`**${key}**: ignored: ${dir} is not in this policy's policyTypes (${ruleLink(ctx, 'NPP04')}).`);
    const eg = get(p.specNode, 'egress');
    if (dir === 'Egress' && eg && eg.t === 'seq' && !eg.items.length) {
      out.push(
        '',
        `\`egress: []\` does not isolate egress when \`policyTypes\` is not written (${ruleLink(ctx, 'NPP05')}).`,
      );
    }
    return out;
  }
  const conn =
    dir === 'Ingress' ? 'incoming connection to the selected pods' : 'outgoing connection from the selected pods';
  if (!rules.length) out.push(`**${key}**: no rules: every ${conn} is denied.`);
  else {
    out.push(
      `**${key}**: ${plural(rules.length, 'rule')}. An ${conn} is allowed when any rule allows it (rules and policies add up; none can deny what another allows). A rule allows a connection that matches one of its peers and one of its port entries.`,
    );
  }
  out.push('', refLink('behaviour of to and from selectors', REF.selectors));
  return out;
}
