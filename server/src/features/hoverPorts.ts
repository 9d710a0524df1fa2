// Hovers on the ports of a rule: the list (OR, destination ports), one entry (protocol default,
// ranges, named ports resolved on the destination workloads). Pure.

import { resolveNamedPort } from '../analysis/evaluate';
import { inventoryOf } from '../analysis/inventory';
import type { NormPolicy, NormPort, NormRule } from '../analysis/policy';
import type { Workload } from '../analysis/world';
import { get } from '../model/tree';
import { NETWORK_POLICY, objectSpec, orList } from '../schema';
import type { TreeCursor } from './cursor';
import { bullets, code, workloadLine } from './markdown';
import { type FeatureContext } from './context';
import { plural } from '../model/words';
import { portWords } from './phrasing';
import { REF, refLink, ruleLink } from './docLinks';

const PORT = objectSpec(NETWORK_POLICY, 'NetworkPolicyPort');
const PROTOCOLS = PORT.fields.protocol.enum!;

export function portsListHover(ctx: FeatureContext, rule: NormRule): string[] {
  const out: string[] = [];
  if (!rule.ports) {
    out.push('**ports**: empty: every port of every protocol.');
    out.push('', `\`ports: []\` means any, not none (${ruleLink(ctx, 'NPP07')}).`);
    return out;
  }
  out.push(
    `**ports**: ${plural(rule.ports.length, 'entry', 'entries')}, any of them (OR): ${rule.ports.map(portWords).join(', ')}.`,
  );
  out.push(
    '',
    'Ports are always destination ports (on the pod that accepts the connection, after any Service translation). Empty or absent: every port of every protocol.',
  );
  return out;
}

/** The workloads a rule's named ports resolve on (docs/semantics.md B.5): ingress the selected pods, egress the peers. */
export function destinations(
  ctx: FeatureContext,
  p: NormPolicy,
  rule: NormRule,
): { workloads: readonly Workload[]; externalOnly: boolean; any: boolean } {
  const inv = inventoryOf(ctx.world);
  if (rule.direction === 'Ingress') return { workloads: inv.selectedBy(p), externalOnly: false, any: false };
  if (!rule.peers) return { workloads: ctx.world.workloads, externalOnly: false, any: true };
  const set = new Set<Workload>();
  let pods = false;
  for (const pr of rule.peers) {
    if (pr.kind !== 'pods') continue;
    pods = true;
    for (const w of inv.peerWorkloads(pr, p.namespace)) set.add(w);
  }
  return { workloads: [...set], externalOnly: !pods && rule.peers.length > 0, any: false };
}

export function portHover(ctx: FeatureContext, p: NormPolicy, rule: NormRule, index: number, tc: TreeCursor): string[] {
  const pe = rule.ports?.find((x) => x.index === index);
  const entryNode = tc.nodes[tc.path.indexOf('ports') + 2];
  const out: string[] = [];
  if (!pe) {
    const keys = Object.keys(PORT.fields).map(code).join(', ');
    return [`**Port entry ${index + 1}**: not readable (it must be a map with ${keys}).`];
  }
  const protoNode = get(entryNode, 'protocol');
  const protoText = protoNode && protoNode.t === 'scalar' && protoNode.v !== null ? String(protoNode.v) : undefined;
  const out0 = `**Port entry ${index + 1}**: ${portWords(pe)}`;
  if (protoText !== undefined && !PROTOCOLS.includes(protoText)) {
    out.push(
      `${out0}.`,
      '',
      `⚠ ${code(protoText)} is not a protocol: use ${orList(PROTOCOLS)} (case-sensitive) (${ruleLink(ctx, 'NPV06')}). ICMP cannot be expressed; what happens to it depends on the network plugin.`,
    );
    return out;
  }
  out.push(`${out0}${pe.protocolDefaulted ? ' — protocol defaulted to TCP (`protocol` is not written)' : ''}.`);
  if (pe.protocolDefaulted && typeof pe.port === 'number' && [53, 123, 514, 161, 162].includes(pe.port)) {
    out.push('', `Port ${pe.port} is usually UDP: this entry covers TCP only (${ruleLink(ctx, 'NPP09')}).`);
  }
  if (pe.port === undefined) {
    out.push(
      '',
      `No \`port\`: every ${pe.protocol} port — all ports of this one protocol, not all protocols (${ruleLink(ctx, 'NPP08')}).`,
    );
  }
  if (typeof pe.port === 'number' && pe.endPort !== undefined) {
    out.push(
      '',
      `Range ${pe.port} to ${pe.endPort}, both included (${pe.endPort - pe.port + 1} ports). \`endPort\` needs network-plugin support: plugins without it enforce only \`port\` (${refLink('port ranges', REF.ports)}).`,
    );
  }
  if (pe.protocol === 'SCTP') out.push('', 'SCTP needs support from the network plugin.');
  if (typeof pe.port === 'string') out.push('', ...namedPortLines(ctx, p, rule, pe));
  else if (typeof pe.port === 'number') {
    out.push(
      '',
      "A numeric port needs no `containerPort` declaration; it is the port on the destination pod, after any Service translation (not the Service's `port`).",
    );
  }
  out.push('', refLink('NetworkPolicy reference', REF.resource));
  return out;
}

export function namedPortLines(ctx: FeatureContext, p: NormPolicy, rule: NormRule, pe: NormPort): string[] {
  const name = pe.port as string;
  const dst = destinations(ctx, p, rule);
  const where =
    rule.direction === 'Ingress'
      ? 'on each pod this policy selects'
      : dst.any
        ? 'on each destination pod (the rule has no `to`: any pod)'
        : "on each destination pod the rule's peers match";
  const out = [`A named port is looked up ${where}, by name and protocol.`];
  if (dst.externalOnly) {
    out.push(
      '',
      `⚠ The rule's destinations are ipBlocks only: external addresses have no container ports, so this entry never matches (${ruleLink(ctx, 'NPP13')}).`,
    );
    return out;
  }
  const byNumbers = new Map<string, Workload[]>();
  const otherProto: Workload[] = [];
  for (const w of dst.workloads) {
    if (ctx.token?.isCancellationRequested) break;
    const nums = resolveNamedPort(w, name, pe.protocol);
    if (!nums.length) {
      if (dst.any) continue; // any pod: list only where it resolves
      if (w.ports.some((c) => c.name === name)) otherProto.push(w);
      const l = byNumbers.get('');
      if (l) l.push(w);
      else byNumbers.set('', [w]);
      continue;
    }
    const k = [...new Set(nums)].sort((a, b) => a - b).join(', ');
    const l = byNumbers.get(k);
    if (l) l.push(w);
    else byNumbers.set(k, [w]);
  }
  const resolved = [...byNumbers].filter(([k]) => k !== '');
  if (!resolved.length) {
    out.push(
      '',
      `⚠ ${code(name)} resolves nowhere${dst.workloads.length ? '' : ' (no destination workload in the workspace)'}: this entry allows nothing (${ruleLink(ctx, 'NPP12')}).`,
    );
  }
  const lines: string[] = [];
  for (const [k, ws] of byNumbers) {
    const names = ws.slice(0, 3).map(workloadLine).join(', ') + (ws.length > 3 ? ` and ${ws.length - 3} more` : '');
    lines.push(k === '' ? `resolves nowhere on ${names}` : `${pe.protocol} ${k} on ${names}`);
  }
  if (lines.length) out.push('', ...bullets(lines, (l) => l));
  if (otherProto.length) {
    out.push(
      '',
      `${code(name)} exists with another protocol on ${otherProto
        .slice(0, 3)
        .map((w) => code(`${w.namespace}/${w.name}`))
        .join(', ')}: names match only with the same protocol.`,
    );
  }
  return out;
}
