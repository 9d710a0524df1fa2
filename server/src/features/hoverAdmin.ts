// Hovers on the admin-tier policies (docs/semantics.md D.3, D.4): what the tier, the priority, an
// action, the subject, the peers and the ports or protocols do, with the place of the policy among
// the workspace's policies of its tier, followed by the field's documentation from the schema.
// Read from the tree: what the tiers decide for a connection is the engine's (explanations). Pure.

import { ADMIN_SCHEMAS, type AdminObject, type AdminRuleView, type AdminView, adminView } from '../analysis/adminKinds';
import { adminValidationErrors } from '../analysis/adminValidity';
import { get } from '../model/tree';
import type { FeatureContext } from './context';
import type { TreeCursor } from './cursor';
import { ruleLink } from './docLinks';
import { plural } from '../model/words';
import {
  actionWords,
  peerWords,
  policyLine,
  portWords,
  rulePortsWords,
  subjectWorkloads,
  tierMembers,
} from './adminWords';
import { fieldHover } from './hoverFields';
import { code, esc } from './markdown';

const nameOf = (o: AdminObject): string => code(o.name ?? '(no name)');

function tierLines(view: AdminView): string[] {
  if (view.tier === 'Admin') {
    return [
      '**Admin tier**: evaluated before every NetworkPolicy, policies by priority (lower first), rules in order; the first rule that matches decides. Accept and Deny are final (NetworkPolicies cannot override them), Pass hands the connection down to the NetworkPolicies.',
    ];
  }
  if (view.tier === 'Baseline') {
    return [
      '**Baseline tier**: consulted only for pods that no NetworkPolicy isolates in that direction, after the Admin tier; the first matching rule decides, and what no rule decides is allowed by default.',
    ];
  }
  return ['**No valid tier**: the API server rejects the policy.'];
}

/** Where the policy stands among the policies of its tier in the workspace. */
function orderLines(ctx: FeatureContext, obj: AdminObject, view: AdminView): string[] {
  if (!view.tier) return [];
  const members = tierMembers(ctx.world, view.tier).filter((m) => m.valid || m.obj === obj);
  const at = members.findIndex((m) => m.obj === obj);
  if (at < 0) return [];
  if (members.length === 1) return [`The only ${view.tier}-tier policy of the workspace.`];
  const label = (i: number): string => {
    const m = members[i];
    return `${nameOf(m.obj)}${m.obj.kind === 'BaselineAdminNetworkPolicy' ? ' (the BaselineAdminNetworkPolicy)' : ` (${m.view.priority ?? '?'})`}`;
  };
  const out = [
    `In this workspace: ${at + 1} of ${members.length} in the ${view.tier} tier${at > 0 ? `, after ${label(at - 1)}` : ''}${at < members.length - 1 ? `, before ${label(at + 1)}` : ''}.`,
  ];
  const same = members.filter(
    (m) =>
      m.obj !== obj &&
      m.view.priority === view.priority &&
      view.priority !== undefined &&
      m.obj.kind !== 'BaselineAdminNetworkPolicy',
  );
  if (same.length) {
    out.push(
      '',
      `⚠ Same priority as ${same.map((m) => nameOf(m.obj)).join(', ')}: where both can match a connection the result is undefined (an implementation may apply either); netpol-lens orders them by name.`,
    );
  }
  if (!adminValidationErrors(obj.node, obj.doc, obj.listIndex !== undefined).length) return out;
  return [...out, '', '⚠ This policy is invalid: the API server rejects it, so it decides nothing.'];
}

function priorityLines(ctx: FeatureContext, obj: AdminObject, view: AdminView): string[] {
  return [
    `**Priority ${view.priority ?? '(not a number)'}** in the ${view.tier ?? '(unknown)'} tier: lower numbers are evaluated first (0-1000); an earlier policy's matching rule decides before any later policy is consulted.`,
    '',
    ...orderLines(ctx, obj, view),
  ];
}

function ruleTitle(rule: AdminRuleView): string {
  return `${rule.direction.toLowerCase()} rule ${rule.index + 1}${rule.name ? ` ${code(rule.name)}` : ''}`;
}

function actionLines(ctx: FeatureContext, obj: AdminObject, view: AdminView, rule: AdminRuleView): string[] {
  const all = rule.direction === 'Ingress' ? view.ingress : view.egress;
  const earlier = rule.index === 0 ? '' : rule.index === 1 ? 'rule 1' : `rules 1-${rule.index}`;
  const lines = [
    `**${esc(rule.action ?? '(no action)')}** (${ruleTitle(rule)} of ${all.length}): traffic it matches is ${actionWords(obj.kind, view.tier, rule.action)}.`,
    '',
    earlier
      ? `Rules are tried in order: this one only decides what ${earlier} did not match.`
      : 'Rules are tried in order: this is the first.',
  ];
  const misspelt =
    (rule.action === 'Allow' && obj.kind === 'ClusterNetworkPolicy') ||
    (rule.action === 'Accept' && obj.kind !== 'ClusterNetworkPolicy');
  if (misspelt) {
    lines.push(
      '',
      `⚠ ${ruleLink(ctx, 'NPA11')}: this version spells it ${rule.action === 'Allow' ? 'Accept' : 'Allow'}.`,
    );
  }
  return lines;
}

function subjectLines(obj: AdminObject): string[] {
  const subj = get(get(obj.node, 'spec'), 'subject');
  if (!subj) return ['**Subject**: missing.'];
  return [
    `**Subject**: ${peerWords(subj, obj.kind === 'ClusterNetworkPolicy')}. The policy's rules apply to their traffic; selecting a pod does not isolate it (no implicit deny).`,
  ];
}

function peersLines(obj: AdminObject, rule: AdminRuleView, j: number | undefined): string[] {
  const key = rule.direction === 'Ingress' ? 'from' : 'to';
  const peers = get(rule.node, key);
  const items = peers && peers.t === 'seq' ? peers.items : [];
  const v2 = obj.kind === 'ClusterNetworkPolicy';
  const head = `**${key}** of ${ruleTitle(rule)} (${esc(rule.action ?? 'no action')}, ${rulePortsWords(rule.node)}): any of the peers (OR).`;
  if (j !== undefined && items[j]) return [`**Peer ${j + 1}** of ${ruleTitle(rule)}: ${peerWords(items[j], v2)}.`];
  return [head, '', ...items.map((p) => `- ${peerWords(p, v2)}`)];
}

function portsLines(rule: AdminRuleView, j: number | undefined): string[] {
  const list = get(rule.node, 'protocols') ?? get(rule.node, 'ports');
  const items = list && list.t === 'seq' ? list.items : [];
  if (j !== undefined && items[j]) {
    const w = portWords(items[j]);
    const named = w.startsWith('named port')
      ? ' The name is looked up on the pods that receive the connection, with the protocol of their container port; pods without it get nothing from this entry.'
      : '';
    return [`**${esc(w)}** (entry ${j + 1} of ${ruleTitle(rule)}).${named}`];
  }
  return [
    `**Ports** of ${ruleTitle(rule)}: ${rulePortsWords(rule.node)} (any of them). Without the list, every port of every protocol.`,
  ];
}

/** On `kind`, `metadata.name` and `spec`: the policy in one line and what it applies to. */
function summaryLines(ctx: FeatureContext, obj: AdminObject, view: AdminView): string[] {
  const wls = subjectWorkloads(ctx.world, obj);
  const shown = wls.slice(0, 10).map((w) => `${w.namespace}/${w.name}`);
  const more = wls.length > shown.length ? `, and ${wls.length - shown.length} more` : '';
  return [
    `**${obj.kind}** ${nameOf(obj)}: ${policyLine(view)}.`,
    '',
    wls.length
      ? `Applies to ${plural(wls.length, 'workload')} of the workspace: ${shown.join(', ')}${more}.`
      : 'Applies to no workload of the workspace.',
    ...tierLinesOf(ctx, obj, view),
  ];
}

function tierLinesOf(ctx: FeatureContext, obj: AdminObject, view: AdminView): string[] {
  const order = orderLines(ctx, obj, view);
  return order.length ? ['', ...order] : [];
}

function linesAt(ctx: FeatureContext, tc: TreeCursor, obj: AdminObject, view: AdminView): string[] | null {
  const [a, b, i, c, j] = tc.path;
  if (
    (tc.path.length === 1 && (a === 'kind' || (a === 'spec' && tc.on === 'key'))) ||
    (a === 'metadata' && b === 'name')
  ) {
    return summaryLines(ctx, obj, view);
  }
  if (a !== 'spec') return null;
  if (b === 'tier') return tierLines(view);
  if (b === 'priority') return priorityLines(ctx, obj, view);
  if (b === 'subject') return subjectLines(obj);
  if ((b !== 'ingress' && b !== 'egress') || typeof i !== 'number') return null;
  const rule = (b === 'ingress' ? view.ingress : view.egress)[i];
  if (!rule) return null;
  if (c === 'action') return actionLines(ctx, obj, view, rule);
  if (c === 'from' || c === 'to') return peersLines(obj, rule, typeof j === 'number' ? j : undefined);
  if (c === 'protocols' || c === 'ports') return portsLines(rule, typeof j === 'number' ? j : undefined);
  return null;
}

/** The hover on an admin-tier policy, or null where only the field documentation applies. */
export function adminHover(ctx: FeatureContext, tc: TreeCursor, obj: AdminObject): string[] | null {
  const view = adminView(obj.kind, obj.node);
  const head = linesAt(ctx, tc, obj, view);
  if (!head) return null;
  const doc = fieldHover(ADMIN_SCHEMAS[obj.kind], tc.path);
  return doc ? [...head, '', ...doc] : head;
}
