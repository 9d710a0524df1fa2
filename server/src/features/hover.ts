// Hovers that read the policy in plain words and answer from the workspace: effective
// policyTypes, what a selector or peer matches, named-port resolution, ipBlock ranges, which
// policies select a workload. Pure: (context, position) -> Hover.

import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import { resolveNamedPort } from '../analysis/evaluate';
import { inventoryOf } from '../analysis/inventory';
import type { Direction, NormPeer, NormPolicy, NormPort, NormRule } from '../analysis/policy';
import { describePorts, isAllPorts, isEmptyPorts, isProtocol } from '../analysis/ports';
import { evaluateExpectation, expectationWords, isExpectations } from '../rules/expectations';
import { describeSelector, isMatchAll, matches } from '../analysis/selectors';
import { NAME_LABEL, normalizedPolicy, type Workload } from '../analysis/world';
import type { NamespaceObject, WorkloadObject } from '../model/resources';
import { get, type PNode, str } from '../model/tree';
import { isNullKey, rangeIn, podLabelsPath } from '../model/spans';
import { plural } from '../model/words';
import { type PathSeg, type Position, treeCursor, type TreeCursor } from './cursor';
import type { FeatureContext } from './context';
import { REF, refLink, ruleLink } from './docLinks';
import { featureIndexOf, type PeerRef } from './featureIndex';
import { bullets, code, esc, LIST_MAX, namespaceLink, policyLink, workloadLine } from './markdown';
import {
  cidrWords,
  countAddresses,
  dirWord,
  labelsText,
  peerWords,
  portWords,
  portsWords,
  rangeWords,
  typesOf,
  typesSentence,
} from './phrasing';
import { allowsPhrase, ipBlockRemaining, rulesOf } from './policySummary';

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
  return lines && lines.length ? hoverOf(tc, lines) : null;
}

// ------------------------------------------------------------------------------ expectations

/** An entry of a ConnectivityExpectations document: its verdict, and what each side allows. */
function expectationHover(ctx: FeatureContext, tc: TreeCursor, root: PNode): string[] | null {
  const [a, i] = tc.path;
  if (a !== 'expectations' || typeof i !== 'number') return null;
  const list = get(root, 'expectations');
  const item = list && list.t === 'seq' ? list.items[i] : undefined;
  if (!item) return null;
  const r = evaluateExpectation(ctx.world, item);
  if (r.kind === 'invalid') {
    return [`**Expectation ${i + 1}**: cannot be checked: ${esc(r.message)} (${ruleLink(ctx, 'NPX08')})`];
  }
  const out = [
    `**Expectation ${i + 1}**: ${code(r.from)} → ${code(r.to)} ${esc(expectationWords(r))}: ${r.met ? '**met**' : `**not met** (${ruleLink(ctx, 'NPX07')})`}; ${esc(r.actually)}.`,
  ];
  const side = (label: string, v: typeof r.verdict.egress): void => {
    if (!v) return;
    if (!v.isolatedBy.length) {
      out.push('', `${label}: not isolated (no policy selects it for ${dirWord(v.direction)}): everything is allowed.`);
      return;
    }
    const allowed = isEmptyPorts(v.allowed)
      ? 'nothing'
      : isAllPorts(v.allowed)
        ? 'every port'
        : describePorts(v.allowed);
    out.push(
      '',
      `${label}: allows ${esc(allowed)}; isolated by ${v.isolatedBy
        .slice(0, 4)
        .map((p) => policyLink(p))
        .join(', ')}${v.isolatedBy.length > 4 ? ` and ${v.isolatedBy.length - 4} more` : ''}.`,
    );
  };
  side(`Egress from ${code(r.from)} (to ${code(r.to)})`, r.verdict.egress);
  side(`Ingress to ${code(r.to)} (from ${code(r.from)})`, r.verdict.ingress);
  out.push('', 'A connection needs both ends to allow it; replies are implicit.');
  return out;
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

function matchedLines(ctx: FeatureContext, p: NormPolicy, peers: readonly NormPeer[]): string[] {
  const inv = inventoryOf(ctx.world);
  const wl = new Set<Workload>();
  let ips = 0;
  for (const pr of peers) {
    if (pr.kind === 'ipBlock') ips++;
    else for (const w of inv.peerWorkloads(pr, p.namespace)) wl.add(w);
  }
  const out: string[] = [];
  const list = [...wl];
  out.push(
    `Peers match ${plural(list.length, 'workload')}${ips ? ` and ${plural(ips, 'IP block')}` : ''} in the workspace${list.length ? ':' : '.'}`,
  );
  if (list.length) out.push(...bullets(list, workloadLine));
  return out;
}

function ruleHover(ctx: FeatureContext, p: NormPolicy, rule: NormRule): string[] {
  const dir = rule.direction;
  const rules = rulesOf(p, dir);
  const from = dir === 'Ingress' ? 'from' : 'to';
  const out: string[] = [];
  const title = `**${dir} rule ${rule.index + 1} of ${rules.length}**`;
  if (!p.types.has(dir)) {
    out.push(`${title}: ignored: ${dir} is not in policyTypes (${ruleLink(ctx, 'NPP04')}).`);
    return out;
  }
  const who = !rule.peers
    ? dir === 'Ingress'
      ? 'from any source, including addresses outside the cluster'
      : 'to any destination, including the internet'
    : rule.peers.length === 0
      ? `${from} nothing (no peer of the list is readable)`
      : `${from} ${plural(rule.peers.length, 'peer')}${rule.peers.length > 1 ? ' (any of them)' : ''}`;
  out.push(`${title}: allows connections ${who} ${portsWords(rule.ports)}.`);
  if (!rule.peers && !rule.ports) {
    out.push(
      '',
      `An empty rule allows everything (${ruleLink(ctx, 'NPP06')}); it overrides every narrower rule for these pods, because policies add up.`,
    );
  }
  out.push(
    '',
    `A connection must match a peer **and** a port entry. \`${from}\` absent or \`[]\`: any ${dir === 'Ingress' ? 'source' : 'destination'}. \`ports\` absent or \`[]\`: every port of every protocol.`,
  );
  const pn = get(rule.node, from);
  if (pn && pn.t === 'seq' && pn.items.length === 0) {
    out.push('', `\`${from}: []\` means any, not none (${ruleLink(ctx, 'NPP07')}).`);
  }
  if (rule.peers && rule.peers.length) out.push('', ...matchedLines(ctx, p, rule.peers));
  return out;
}

function peerHover(ctx: FeatureContext, p: NormPolicy, rule: NormRule, index: number, tc: TreeCursor): string[] {
  const dir = rule.direction;
  const from = dir === 'Ingress' ? 'from' : 'to';
  const peer = rule.peers?.find((x) => x.index === index);
  const list = get(rule.node, from);
  const count = list && list.t === 'seq' ? list.items.length : 0;
  const title = `**Peer ${index + 1} of ${count}** in ${dirWord(dir)} rule ${rule.index + 1} (\`${from}\`)`;
  if (!peer) {
    return [
      `${title}: invalid: a peer must set \`podSelector\`, \`namespaceSelector\` or \`ipBlock\` (an empty or null peer matches nothing; ${ruleLink(ctx, 'NPV13')}).`,
    ];
  }
  if (peer.kind === 'ipBlock') return ipBlockHover(ctx, rule, index, tc);
  const words = peerWords(peer, p.namespace, isNullKey(peer.node, 'namespaceSelector'));
  const out = [`${title}: ${words.what}.`];
  if (words.note) out.push('', words.note);
  if (!p.types.has(dir)) out.push('', `Ignored: ${dir} is not in policyTypes (${ruleLink(ctx, 'NPP04')}).`);
  const inv = inventoryOf(ctx.world);
  if (peer.namespaceSelector) {
    const nss = inv.namespacesMatching(peer.namespaceSelector);
    out.push(
      '',
      `Namespaces: ${nss.length ? nss.slice(0, LIST_MAX).map(namespaceLink).join(', ') + (nss.length > LIST_MAX ? ` and ${nss.length - LIST_MAX} more` : '') : `none in the workspace matches (${ruleLink(ctx, 'NPP24')})`}.`,
    );
    const byName = peer.namespaceSelector.reqs.find((r) => r.key === 'name' || r.key === 'namespace' || r.key === 'ns');
    if (!nss.length && byName) {
      out.push(
        '',
        `Namespaces carry a \`${byName.key}\` label only if someone added it; select a namespace by name with \`${NAME_LABEL}\`.`,
      );
    }
  }
  const wl = inv.peerWorkloads(peer, p.namespace);
  out.push('', `Matches ${plural(wl.length, 'workload')}${wl.length ? ':' : '.'}`);
  if (wl.length) out.push(...bullets(wl, workloadLine));
  if (!wl.length && !peer.namespaceSelector && peer.podSelector) {
    // per-namespace lookups are memoised by the inventory
    const elsewhere: string[] = [];
    for (const ns of inv.byNamespace.keys()) {
      if (ns !== p.namespace && inv.workloadsIn(ns, peer.podSelector).length) elsewhere.push(ns);
    }
    if (elsewhere.length) {
      out.push(
        '',
        `Pods with these labels exist only in other namespaces (${elsewhere.sort().slice(0, 5).map(code).join(', ')}${elsewhere.length > 5 ? ', …' : ''}): add a \`namespaceSelector\` (${ruleLink(ctx, 'NPP25')}).`,
      );
    }
  }
  if (peer.podSelector) {
    const neg = peer.podSelector.reqs
      .concat(peer.namespaceSelector?.reqs ?? [])
      .filter((r) => r.op === 'NotIn' || r.op === 'DoesNotExist');
    if (neg.length) {
      out.push(
        '',
        `\`NotIn\` and \`DoesNotExist\` also match objects that lack the label (${ruleLink(ctx, 'NPP27')}).`,
      );
    }
  }
  // AND/OR: the list's peers are alternatives; a namespace-only next to a pod-only peer is the classic slip
  if (count > 1) {
    out.push(
      '',
      `The ${count} peers of this \`${from}\` list are alternatives (OR): a connection needs to match one of them.`,
    );
    const nsOnly = (x: NormPeer): boolean => x.kind === 'pods' && !!x.namespaceSelector && !x.podSelector;
    const podOnly = (x: NormPeer): boolean => x.kind === 'pods' && !x.namespaceSelector && !!x.podSelector;
    if ((nsOnly(peer) && rule.peers!.some(podOnly)) || (podOnly(peer) && rule.peers!.some(nsOnly))) {
      out.push(
        `A namespace-only peer next to a pod-only peer means OR, not AND: did you mean one peer with both selectors (no \`-\` before the second)? (${ruleLink(ctx, 'NPP01')})`,
      );
    }
  }
  out.push('', refLink('behaviour of to and from selectors', REF.selectors));
  return out;
}

function ipBlockHover(ctx: FeatureContext, rule: NormRule, index: number, tc: TreeCursor): string[] {
  const dir = rule.direction;
  const peer = rule.peers?.find((x) => x.index === index);
  const out: string[] = [];
  if (!peer || peer.kind !== 'ipBlock') {
    // the cidr did not parse: say why
    const ib = get(tc.nodes[5], 'ipBlock'); // path: spec, ingress|egress, rule, from|to, peer, ...
    const c = str(get(ib, 'cidr'));
    if (c === undefined) return [`**ipBlock**: \`cidr\` is required (${ruleLink(ctx, 'NPV15')}).`];
    if (!c.includes('/')) {
      return [
        `**ipBlock**: ${code(c)} is not a CIDR: a bare address needs a prefix length, e.g. ${code(`${c}/${c.includes(':') ? 128 : 32}`)} (${ruleLink(ctx, 'NPV16')}).`,
      ];
    }
    return [`**ipBlock**: ${code(c)} is not a valid IPv4 or IPv6 CIDR (${ruleLink(ctx, 'NPV16')}).`];
  }
  const c = peer.cidr;
  out.push(`**ipBlock** ${code(c.canonical)}: ${esc(cidrWords(c))}.`);
  for (const w of c.warnings) {
    out.push('', `⚠ ${code(peerCidrText(peer) ?? c.canonical)} ${esc(w)} (${ruleLink(ctx, 'NPP19')}).`);
  }
  if (peer.except.length) {
    out.push('');
    for (const e of peer.except) {
      const inside = e.family === c.family && e.lo >= c.lo && e.hi <= c.hi && !(e.lo === c.lo && e.hi === c.hi);
      out.push(
        `- except ${code(e.canonical)} removes ${esc(cidrWords(e))}${inside ? '' : ` — invalid: an except must lie strictly inside \`cidr\` (${ruleLink(ctx, 'NPV19')})`}`,
      );
    }
    const rem = ipBlockRemaining(peer);
    const total = rem.reduce((n, [lo, hi]) => n + (hi - lo + 1n), 0n);
    const shown = rem
      .slice(0, 4)
      .map(([lo, hi]) => rangeWords(lo, hi, c.family))
      .join(', ');
    out.push(
      '',
      `Remaining: ${total === 0n ? 'no address' : `${esc(countAddresses(0n, total - 1n))} in ${plural(rem.length, 'range')}: ${esc(shown)}${rem.length > 4 ? ', …' : ''}`}.`,
    );
  }
  if (c.prefix === 0) {
    out.push(
      '',
      c.family === 4
        ? '`0.0.0.0/0` covers IPv4 only; add `::/0` for IPv6 in a dual-stack cluster.'
        : '`::/0` covers IPv6 only; add `0.0.0.0/0` for IPv4.',
    );
  }
  out.push('', 'Caveats:');
  out.push(
    '- ipBlock is meant for addresses outside the cluster: pod IPs change, and some network plugins (Cilium, for one) never match pod IPs with ipBlock. Select pods with `podSelector`/`namespaceSelector` instead.',
  );
  if (dir === 'Ingress') {
    out.push(
      "- Clients outside the cluster that come in through a NodePort or LoadBalancer Service may arrive with their source address translated (SNAT) to a node's or the load balancer's address, so the ipBlock may never see their real IP (`externalTrafficPolicy: Local` keeps it).",
    );
  } else {
    out.push(
      '- Traffic to a Service ClusterIP is translated to a pod address before policies apply: an ipBlock over Service IPs never matches.',
    );
  }
  out.push('', refLink('NetworkPolicy reference', REF.resource));
  return out;
}

function peerCidrText(peer: Extract<NormPeer, { kind: 'ipBlock' }>): string | undefined {
  return str(get(get(peer.node, 'ipBlock'), 'cidr'));
}

function portsListHover(ctx: FeatureContext, rule: NormRule): string[] {
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

/** The workloads a rule's named ports resolve on (B.5): ingress the selected pods, egress the peers. */
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

function portHover(ctx: FeatureContext, p: NormPolicy, rule: NormRule, index: number, tc: TreeCursor): string[] {
  const pe = rule.ports?.find((x) => x.index === index);
  const entryNode = tc.nodes[tc.path.indexOf('ports') + 2];
  const out: string[] = [];
  if (!pe) {
    return [`**Port entry ${index + 1}**: not readable (it must be a map with \`protocol\`, \`port\`, \`endPort\`).`];
  }
  const protoNode = get(entryNode, 'protocol');
  const protoText = protoNode && protoNode.t === 'scalar' && protoNode.v !== null ? String(protoNode.v) : undefined;
  const out0 = `**Port entry ${index + 1}**: ${portWords(pe)}`;
  if (protoText !== undefined && !isProtocol(protoText)) {
    out.push(
      `${out0}.`,
      '',
      `⚠ ${code(protoText)} is not a protocol: use TCP, UDP or SCTP (case-sensitive) (${ruleLink(ctx, 'NPV06')}). ICMP cannot be expressed; what happens to it depends on the network plugin.`,
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

// ------------------------------------------------------------------------------ workloads

function startsWith(path: readonly PathSeg[], prefix: readonly string[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

function workloadHover(ctx: FeatureContext, tc: TreeCursor, obj: WorkloadObject): string[] | null {
  const lp = podLabelsPath(obj.kind);
  const onLabels = startsWith(tc.path, lp);
  const onName = tc.path.length === 2 && tc.path[0] === 'metadata' && tc.path[1] === 'name';
  if (!onLabels && !onName) {
    if (obj.kind !== 'Pod' && startsWith(tc.path, ['metadata', 'labels'])) {
      return [
        `These are the ${esc(obj.kind)}'s own labels. Policies select pods by the labels of the pod template (\`${lp.join('.')}\`).`,
      ];
    }
    return null;
  }
  const w = ctx.world.workloadOf(obj);
  if (!w) return null;
  return workloadAnswer(
    ctx,
    w,
    onLabels && typeof tc.path[lp.length] === 'string' ? String(tc.path[lp.length]) : undefined,
  );
}

function peerRefLine(r: PeerRef): string {
  const from = r.rule.direction === 'Ingress' ? 'from' : 'to';
  return `${policyLink(r.policy)} ${dirWord(r.rule.direction)} rule ${r.rule.index + 1}, \`${from}\` peer ${r.peer.index + 1}`;
}

function workloadAnswer(ctx: FeatureContext, w: Workload, label: string | undefined): string[] {
  const ix = featureIndexOf(ctx.world);
  const out = [
    `**${esc(w.kind)} ${code(`${w.namespace}/${w.name}`)}** pod labels: ${w.labels && Object.keys(w.labels).length ? code(labelsText(w.labels)) : 'none'}.`,
  ];
  if (label !== undefined && Object.prototype.hasOwnProperty.call(w.labels, label)) {
    out[0] += ` (hovering ${code(`${label}=${w.labels[label]}`)})`;
  }
  const selecting = ix.policiesIn(w.namespace).filter((p) => p.valid && matches(p.podSelector, w.labels));
  out.push('');
  if (!selecting.length) {
    out.push(
      'No policy selects it: it is not isolated, so every incoming connection is accepted and every outgoing one may be opened.',
    );
  } else {
    const ing = selecting.filter((p) => p.types.has('Ingress')).length;
    const eg = selecting.filter((p) => p.types.has('Egress')).length;
    out.push(
      `Selected by ${plural(selecting.length, 'policy', 'policies')} (ingress ${ing ? `isolated by ${ing}` : 'open'}, egress ${eg ? `isolated by ${eg}` : 'open'}):`,
    );
    out.push(...bullets(selecting, (p) => `${policyLink(p)} — ${typesOf(p).map(dirWord).join(', ')}`));
  }
  const refs = ix.peersMatching(w, ctx.token);
  out.push('');
  if (!refs.length) out.push('No peer of any policy matches it.');
  else {
    out.push(`Matched by ${plural(refs.length, 'peer')}:`);
    out.push(...bullets(refs, peerRefLine));
  }
  if (w.hostNetwork) {
    out.push('', `hostNetwork: what policies do to this workload is undefined (${ruleLink(ctx, 'NPP39')}).`);
  }
  return out;
}

function namespaceHover(ctx: FeatureContext, tc: TreeCursor, obj: NamespaceObject): string[] | null {
  const p = tc.path;
  const on =
    (p.length >= 2 && p[0] === 'metadata' && (p[1] === 'labels' || p[1] === 'name')) ||
    (p.length === 1 && p[0] === 'kind');
  if (!on || !obj.name) return null;
  const ns = ctx.world.namespaces.get(obj.name);
  if (!ns) return null;
  const ix = featureIndexOf(ctx.world);
  const out = [
    `**Namespace ${code(ns.name)}** labels: ${code(labelsText(ns.labels))}${obj.labels[NAME_LABEL] === undefined ? ` (${code(NAME_LABEL)} is added automatically)` : ''}.`,
  ];
  const refs = ix.peersSelectingNamespace(ns.labels);
  out.push('');
  if (!refs.length) out.push('No `namespaceSelector` of any policy matches it.');
  else {
    out.push(`Matched by the \`namespaceSelector\` of ${plural(refs.length, 'peer')}:`);
    out.push(...bullets(refs, peerRefLine));
  }
  const pols = ix.policiesIn(ns.name);
  const wl = inventoryOf(ctx.world).byNamespace.get(ns.name) ?? [];
  out.push(
    '',
    `${plural(wl.length, 'workload')}; ${plural(pols.length, 'policy', 'policies')} in this namespace${pols.length ? ':' : '.'}`,
  );
  if (pols.length) out.push(...bullets(pols, (x) => policyLink(x)));
  out.push('', refLink('targeting a namespace by its name', REF.namespaceByName));
  return out;
}
