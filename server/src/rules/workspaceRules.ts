// Pitfalls that need the workspace: DNS blocked by egress isolation (P10), Service port instead
// of the container port (P11), named ports that resolve nowhere (P12), pod-only peers that only
// match pods of other namespaces (P25), NotIn/DoesNotExist matching unlabelled objects (P27),
// policies that select nothing (P37), shadowed and redundant rules (P38), hostNetwork pods (P39),
// ipBlocks over pod or Service CIDRs (P21), single-family ipBlocks in dual-stack clusters (P23).

import { evaluateDirection, resolveNamedPort } from '../analysis/evaluate';
import type { RelatedLocation } from '../analysis/findings';
import { type Cidr, parseCidr } from '../analysis/ipset';
import type { Direction, NormPolicy, NormRule } from '../analysis/policy';
import { containsPort, type Protocol } from '../analysis/ports';
import { evaluatePairPortsOnRule } from './ruleMath';
import type { NamespaceInfo, Workload } from '../analysis/world';
import { get, type PMap, type PNode } from '../model/tree';
import type { Report, RuleContext, RuleModule } from './types';
import { keyOf, labelText, listNames, namespaceLocations, policyAnchor, sectionOf, workloadLocations } from './util';
import { plural } from '../model/words';

function rulesOf(p: NormPolicy, dir: Direction): readonly NormRule[] {
  return dir === 'Ingress' ? p.ingress : p.egress;
}

// ------------------------------------------------------------------ P10 DNS

function dnsTargets(ctx: RuleContext): Workload[] {
  const { namespace, podLabels } = ctx.settings.dns;
  const found = (ctx.inv.byNamespace.get(namespace) ?? []).filter((w) =>
    Object.entries(podLabels).every(([k, v]) => w.labels[k] === v),
  );
  if (found.length) return found;
  const port = ctx.settings.dns.port;
  return [
    {
      id: -1,
      key: `${namespace}/cluster-dns[Pod]`,
      namespace,
      name: 'cluster-dns',
      kind: 'Pod',
      labels: podLabels,
      ports: [
        { container: 'dns', name: 'dns', port, protocol: 'UDP' },
        { container: 'dns', name: 'dns-tcp', port, protocol: 'TCP' },
      ],
      hostNetwork: false,
      sources: [],
      labelConflicts: [],
    },
  ];
}

function syntheticSelected(p: NormPolicy): Workload {
  const labels: Record<string, string> = {};
  for (const r of p.podSelector.reqs) {
    if (r.op === 'In' && r.values.length === 1) labels[r.key] = r.values[0];
    else if (r.op === 'Exists') labels[r.key] = 'x';
  }
  return {
    id: -2,
    key: `${p.namespace}/<pods selected by ${p.name}>[Pod]`,
    namespace: p.namespace,
    name: `<pods selected by ${p.name}>`,
    kind: 'Pod',
    labels,
    ports: [],
    hostNetwork: false,
    sources: [],
    labelConflicts: [],
  };
}

function checkDns(ctx: RuleContext, p: NormPolicy, report: Report): void {
  if (!p.valid || !p.types.has('Egress')) return;
  let selected = ctx.inv.selectedBy(p);
  const synthetic = !selected.length;
  if (synthetic) {
    if ((ctx.inv.byNamespace.get(p.namespace) ?? []).length) return; // selects nothing: P37's business
    selected = [syntheticSelected(p)];
  }
  const targets = dnsTargets(ctx);
  const port = ctx.settings.dns.port;
  const blocked: Array<{ w: Workload; missing: Protocol[] }> = [];
  for (const w of selected) {
    if (w.namespace === ctx.settings.dns.namespace && targets.includes(w)) continue;
    // the same for every policy that selects w: computed once per world
    const missing = ctx.inv.memo(
      `dns\u0000${
        w.id >= 0
          ? w.id
          : `${w.namespace}\u0000${Object.keys(w.labels)
              .sort()
              .map((k) => `${k}=${w.labels[k]}`)
              .join(',')}`
      }`,
      () => {
        const out: Protocol[] = [];
        const iso = ctx.inv.isolatedBy(w, 'Egress');
        const allowed = targets.map(
          (t) => evaluateDirection(ctx.world, 'Egress', w, { kind: 'workload', w: t }, iso).allowed,
        );
        for (const proto of ['UDP', 'TCP'] as const) {
          if (!allowed.some((a) => containsPort(a, proto, port))) out.push(proto);
        }
        return out;
      },
    );
    if (missing.length) blocked.push({ w, missing });
  }
  if (!blocked.length) return;
  const anyUdp = blocked.some((b) => b.missing.includes('UDP'));
  const missing = anyUdp ? (blocked.some((b) => b.missing.includes('TCP')) ? ['UDP', 'TCP'] : ['UDP']) : ['TCP'];
  const who = synthetic ? 'The pods this policy selects' : `${listNames(blocked.map((b) => b.w.key))}`;
  const pt = keyOf(p.specNode, 'policyTypes');
  const egressType =
    pt && pt.value.t === 'seq' ? pt.value.items.find((i) => i.t === 'scalar' && i.v === 'Egress') : undefined;
  const anchor =
    egressType ??
    (keyOf(p.specNode, 'egress')
      ? { s: keyOf(p.specNode, 'egress')!.ks, e: keyOf(p.specNode, 'egress')!.ke }
      : policyAnchor(p));
  const dnsWhere = `${ctx.settings.dns.namespace}/${Object.entries(ctx.settings.dns.podLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
  report({
    rule: 'NPP10',
    severity: 'warning',
    s: anchor.s,
    e: anchor.e,
    message: `${who} ${blocked.length === 1 && !synthetic ? 'is' : 'are'} egress-isolated and no egress rule allows ${missing.join(' and ')} ${port} to the cluster DNS (${dnsWhere}): name lookups will fail${missing.length === 1 && missing[0] === 'TCP' ? ' for large answers' : ''}. Add an egress rule to the DNS pods on UDP and TCP ${port}.`,
    data: { addDns: true },
    related: targets
      .filter((t) => t.sources.length)
      .slice(0, 1)
      .map((t) => ({
        uri: t.sources[0].uri,
        doc: t.sources[0].doc,
        s: t.sources[0].node.s,
        e: t.sources[0].node.s,
        message: `cluster DNS: ${t.key}`,
      })),
  });
}

// ------------------------------------------------------------------ P11 / P12 ports

function destinations(ctx: RuleContext, p: NormPolicy, r: NormRule): Workload[] | null {
  if (r.direction === 'Ingress') return ctx.inv.selectedBy(p);
  if (r.peers === undefined) return null; // any destination
  const out = new Set<Workload>();
  for (const peer of r.peers) for (const w of ctx.inv.peerWorkloads(peer, p.namespace)) out.add(w);
  return [...out];
}

function servicePortFacts(
  ctx: RuleContext,
  w: Workload,
  port: number,
  protocol: Protocol,
): Array<{ svc: string; target: number | string; resolved: number[]; rel: RelatedLocation }> {
  const out: Array<{ svc: string; target: number | string; resolved: number[]; rel: RelatedLocation }> = [];
  for (const s of ctx.inv.servicesOf(w)) {
    for (const sp of s.obj.ports) {
      if (sp.port !== port || sp.protocol !== protocol) continue;
      const target = sp.targetPort ?? sp.port;
      const resolved = typeof target === 'number' ? [target] : resolveNamedPort(w, target, protocol);
      if (resolved.length === 1 && resolved[0] === port) continue;
      out.push({
        svc: `${s.namespace}/${s.obj.name}`,
        target,
        resolved,
        rel: {
          uri: s.obj.uri,
          doc: s.obj.doc,
          s: sp.node.s,
          e: sp.node.e,
          message: `Service ${s.namespace}/${s.obj.name}: port ${port} → targetPort ${target}`,
        },
      });
    }
  }
  return out;
}

function checkPorts(ctx: RuleContext, p: NormPolicy, report: Report): void {
  for (const dir of ['Ingress', 'Egress'] as const) {
    for (const r of rulesOf(p, dir)) {
      if (!r.ports) continue;
      const dsts = destinations(ctx, p, r);
      for (const pe of r.ports) {
        const portNode = pe.node.t === 'map' ? get(pe.node, 'port') : undefined;
        if (!portNode) continue;
        if (typeof pe.port === 'number' && pe.endPort === undefined && dsts && dsts.length) {
          const port = pe.port;
          if (dsts.some((w) => w.ports.some((c) => c.port === port))) continue;
          const facts = dsts.flatMap((w) => servicePortFacts(ctx, w, port, pe.protocol).map((f) => ({ ...f, w })));
          if (!facts.length) continue;
          const targets = [...new Set(facts.flatMap((f) => f.resolved))];
          const f0 = facts[0];
          const targetText = targets.length ? targets.join(' or ') : String(f0.target);
          report({
            rule: 'NPP11',
            severity: 'warning',
            s: portNode.s,
            e: portNode.e,
            message: `${port} is the port of Service ${f0.svc} (${port} → ${f0.target}), not a port of the pods. NetworkPolicy sees traffic after the Service has translated it, on the pod's port ${targetText}, so this entry does not allow the traffic you meant. Use ${targetText}${typeof f0.target === 'string' ? ` or the named port "${f0.target}"` : ''}.`,
            data:
              targets.length === 1
                ? { replacePort: targets[0], name: typeof f0.target === 'string' ? f0.target : undefined }
                : undefined,
            related: facts.slice(0, 3).map((f) => f.rel),
          });
        }
        if (typeof pe.port === 'string' && dir === 'Egress' && r.peers === undefined) {
          // no `to`: the name can match any pod (external addresses have no named ports); say so
          // when no workload of the workspace defines it
          const name = pe.port;
          const all = ctx.world.workloads;
          if (all.length && !all.some((w) => resolveNamedPort(w, name, pe.protocol).length > 0)) {
            const otherProto = all.filter((w) => w.ports.some((c) => c.name === name && c.protocol !== pe.protocol));
            report({
              rule: 'NPP12',
              severity: 'warning',
              s: portNode.s,
              e: portNode.e,
              related: workloadLocations(otherProto, (w) => `${w.key}: ${portsText(w)}`, 'ports', 3, name),
              message: `Named port "${name}" (${pe.protocol}) is not defined on any workload in the workspace, and external addresses have no named ports, so this entry allows nothing${otherProto.length ? `; ${listNames(otherProto.map((w) => w.key))} define${otherProto.length === 1 ? 's' : ''} "${name}" with another protocol — set protocol to match` : ''}. Check the name against the containers' ports, or use the port number.`,
            });
          }
          continue;
        }
        if (typeof pe.port === 'string' && dsts && dsts.length) {
          const name = pe.port;
          const hits = dsts.filter((w) => resolveNamedPort(w, name, pe.protocol).length > 0);
          if (hits.length === dsts.length) continue;
          const otherProto = dsts.filter((w) => w.ports.some((c) => c.name === name && c.protocol !== pe.protocol));
          const misses = dsts.filter((w) => !hits.includes(w));
          if (!hits.length) {
            report({
              rule: 'NPP12',
              severity: 'warning',
              s: portNode.s,
              e: portNode.e,
              related: workloadLocations(
                otherProto.length ? otherProto : dsts,
                (w) => `${w.key}: ${portsText(w)}`,
                'ports',
                3,
                name,
              ),
              message: `Named port "${name}" (${pe.protocol}) is not defined on any ${dir === 'Ingress' ? 'selected' : 'destination'} workload (${listNames(dsts.map((w) => w.key))}), so this entry allows nothing${otherProto.length ? `; ${listNames(otherProto.map((w) => w.key))} define${otherProto.length === 1 ? 's' : ''} "${name}" with another protocol — set protocol to match` : ''}. Check the name against the containers' ports.`,
            });
          } else {
            report({
              rule: 'NPP12',
              severity: 'info',
              s: portNode.s,
              e: portNode.e,
              related: workloadLocations(misses, (w) => `${w.key}: ${portsText(w)}`, 'ports'),
              message: `Named port "${name}" (${pe.protocol}) resolves on ${plural(hits.length, 'workload')} but not on ${listNames(misses.map((w) => w.key))}; to those it allows nothing. Name the port the same way in their containers, or list their port separately.`,
            });
          }
        }
      }
    }
  }
}

function portsText(w: Workload): string {
  return w.ports.length
    ? `container ports ${listNames(
        w.ports.map((p) => `${p.name ? `${p.name}=` : ''}${p.port}/${p.protocol}`),
        6,
      )}`
    : 'no container ports';
}

// ------------------------------------------------------------------ P25 / P27 / P37 / P39 selectors

function selectorNode(peerNode: PMap, key: string): PNode | undefined {
  return get(peerNode, key);
}

function checkSelectors(ctx: RuleContext, p: NormPolicy, report: Report): void {
  const nsWorkloads = ctx.inv.byNamespace.get(p.namespace) ?? [];
  const psEntry = keyOf(p.specNode, 'podSelector');
  const selected = ctx.inv.selectedBy(p);
  // P37
  if (!selected.length && nsWorkloads.length) {
    const span = psEntry ? { s: psEntry.ks, e: psEntry.ke } : policyAnchor(p);
    report({
      rule: 'NPP37',
      severity: 'warning',
      s: span.s,
      e: span.e,
      related: workloadLocations(nsWorkloads, (w) => `${w.key}: ${labelText(w.labels)}`),
      message: `This podSelector selects no workload of namespace ${p.namespace} in the workspace (it has ${plural(nsWorkloads.length, 'workload')}: ${listNames(nsWorkloads.map((w) => w.name))}). Check the labels and the namespace; as written the policy does nothing.`,
    });
  }
  // P39: hostNetwork
  const hn = selected.filter((w) => w.hostNetwork);
  if (hn.length && psEntry) {
    report({
      rule: 'NPP39',
      severity: 'warning',
      s: psEntry.ks,
      e: psEntry.ke,
      related: workloadLocations(hn, (w) => `${w.key}: hostNetwork: true`, 'hostNetwork'),
      message: `${listNames(hn.map((w) => w.key))} use${hn.length === 1 ? 's' : ''} hostNetwork: what a policy does to host-network pods is undefined; most plugins neither isolate nor match them. Use an ipBlock on the node addresses instead.`,
    });
  }
  // P27 on the spec podSelector
  if (psEntry) {
    checkNegative(
      ctx,
      psEntry.value,
      'pod',
      nsWorkloads.map((w) => ({ name: w.key, labels: w.labels, w })),
      report,
    );
  }
  for (const r of [...p.ingress, ...p.egress]) {
    for (const peer of r.peers ?? []) {
      if (peer.kind !== 'pods') continue;
      const matched = ctx.inv.peerWorkloads(peer, p.namespace);
      const hnPeer = matched.filter((w) => w.hostNetwork);
      if (hnPeer.length) {
        report({
          rule: 'NPP39',
          severity: 'warning',
          s: peer.node.s,
          e: peer.node.e,
          related: workloadLocations(hnPeer, (w) => `${w.key}: hostNetwork: true`, 'hostNetwork'),
          message: `This peer matches host-network workloads (${listNames(hnPeer.map((w) => w.key))}); their traffic usually appears as node traffic and is not matched by selectors. Use an ipBlock on the node addresses.`,
        });
      }
      // P25
      if (!peer.namespaceSelector && peer.podSelector && !matched.length && ctx.world.workloads.length) {
        const sel = peer.podSelector;
        const elsewhere =
          sel.reqs.length > 0 ? ctx.inv.workloadsMatchingAnywhere(sel).filter((w) => w.namespace !== p.namespace) : [];
        if (elsewhere.length) {
          const en = keyOf(peer.node, 'podSelector')!;
          report({
            rule: 'NPP25',
            severity: 'warning',
            s: en.ks,
            e: en.ke,
            related: workloadLocations(elsewhere, (w) => `${w.key}: ${labelText(w.labels)}`),
            message: `A podSelector without namespaceSelector only looks in the policy's namespace (${p.namespace}), where it matches nothing; the pods it describes are in ${listNames([...new Set(elsewhere.map((w) => w.namespace))])} (${listNames(
              elsewhere.map((w) => w.key),
              3,
            )}). Add a namespaceSelector (e.g. kubernetes.io/metadata.name) in the same peer.`,
            data: { addNamespaceSelector: [...new Set(elsewhere.map((w) => w.namespace))][0] },
          });
        }
      }
      const podSelNode = selectorNode(peer.node, 'podSelector');
      const nsSelNode = selectorNode(peer.node, 'namespaceSelector');
      const nsNames = peer.namespaceSelector
        ? ctx.inv.namespacesMatching(peer.namespaceSelector).map((n) => n.name)
        : [p.namespace];
      if (podSelNode && hasNegative(podSelNode)) {
        checkNegative(
          ctx,
          podSelNode,
          'pod',
          nsNames.flatMap((ns) => ctx.inv.byNamespace.get(ns) ?? []).map((w) => ({ name: w.key, labels: w.labels, w })),
          report,
        );
      }
      if (nsSelNode && hasNegative(nsSelNode)) {
        checkNegative(
          ctx,
          nsSelNode,
          'namespace',
          [...ctx.world.namespaces.values()].map((n) => ({ name: n.name, labels: n.labels, ns: n })),
          report,
        );
      }
    }
  }
}

function hasNegative(sel: PNode): boolean {
  const me = get(sel, 'matchExpressions');
  return (
    !!me &&
    me.t === 'seq' &&
    me.items.some((i) => {
      const op = get(i, 'operator');
      return !!op && op.t === 'scalar' && (op.v === 'NotIn' || op.v === 'DoesNotExist');
    })
  );
}

function checkNegative(
  _ctx: RuleContext,
  sel: PNode,
  what: 'pod' | 'namespace',
  objects: Array<{ name: string; labels: Readonly<Record<string, string>>; w?: Workload; ns?: NamespaceInfo }>,
  report: Report,
): void {
  const me = get(sel, 'matchExpressions');
  if (!me || me.t !== 'seq') return;
  // keys the selector requires to be present anyway (matchLabels, Exists, In)
  const required = new Set<string>();
  const ml = get(sel, 'matchLabels');
  if (ml && ml.t === 'map') for (const en of ml.entries) required.add(en.key);
  for (const item of me.items) {
    const op = get(item, 'operator');
    const key = get(item, 'key');
    if (
      op &&
      op.t === 'scalar' &&
      (op.v === 'Exists' || op.v === 'In') &&
      key &&
      key.t === 'scalar' &&
      typeof key.v === 'string'
    ) {
      required.add(key.v);
    }
  }
  for (const item of me.items) {
    const op = get(item, 'operator');
    const key = get(item, 'key');
    // DoesNotExist is meant to match objects without the label; NotIn is the surprise
    if (!op || op.t !== 'scalar' || op.v !== 'NotIn' || !key || key.t !== 'scalar' || typeof key.v !== 'string') {
      continue;
    }
    const k = key.v;
    if (required.has(k)) continue;
    const lacking = objects.filter((o) => !Object.prototype.hasOwnProperty.call(o.labels, k));
    if (!lacking.length) continue;
    const related =
      what === 'pod'
        ? workloadLocations(
            lacking.flatMap((o) => (o.w ? [o.w] : [])),
            (w) => `${w.key}: ${labelText(w.labels)}`,
          )
        : namespaceLocations(
            lacking.flatMap((o) => (o.ns ? [o.ns] : [])),
            (n) => `Namespace ${n.name}: no "${k}" label`,
          );
    report({
      rule: 'NPP27',
      severity: 'info',
      s: op.s,
      e: op.e,
      related,
      message: `${op.v} also matches ${what === 'pod' ? 'workloads' : 'namespaces'} that have no "${k}" label at all: ${listNames(lacking.map((o) => o.name))}. Add an Exists requirement on "${k}" if only labelled ones are meant.`,
    });
  }
}

// ------------------------------------------------------------------ P38 shadowed / redundant rules

function checkRedundancy(ctx: RuleContext, p: NormPolicy, report: Report): void {
  if (!p.valid) return;
  const selected = ctx.inv.selectedBy(p);
  for (const dir of ['Ingress', 'Egress'] as const) {
    if (!p.types.has(dir)) continue;
    const rules = rulesOf(p, dir);
    // across policies: another policy allows everything for all of these pods
    if (selected.length && rules.length) {
      const q = ctx.inv
        .allowAllPoliciesIn(p.namespace, dir)
        .find((o) => o !== p && selected.every((w) => ctx.inv.selectedBy(o).includes(w)));
      if (q) {
        const en = keyOf(p.specNode, sectionOf(dir))!;
        if (en) {
          report({
            rule: 'NPP38',
            severity: 'hint',
            s: en.ks,
            e: en.ke,
            message: `Policy ${q.namespace}/${q.name} already allows all ${sectionOf(dir)} for every pod this policy selects; policies add up, so these rules change nothing (a policy cannot deny what another allows). Narrow the allow-all policy if these rules are meant to restrict, or remove them.`,
            tags: ['unnecessary'],
            related: [
              {
                uri: q.obj.uri,
                doc: q.obj.doc,
                s: q.obj.node.s,
                e: q.obj.node.s,
                message: `allow-all ${sectionOf(dir)} in ${q.name}`,
              },
            ],
          });
          continue;
        }
      }
    }
    // within the policy: a rule covered by another rule
    rules.forEach((r, i) => {
      const cover = rules.find((o, j) => j !== i && coversRule(o, r) && !(coversRule(r, o) && j > i));
      if (cover) {
        report({
          rule: 'NPP38',
          severity: 'hint',
          s: r.node.s,
          e: r.node.e,
          message: `This rule is redundant: ${sectionOf(dir)} rule ${cover.index + 1} already allows everything it allows, and rules add up. Remove it, or narrow the other rule if this one was meant to restrict it.`,
          tags: ['unnecessary'],
        });
      }
    });
  }
}

/** Does rule `a` allow at least everything rule `b` allows (structurally)? */
function coversRule(a: NormRule, b: NormRule): boolean {
  if (a.peers !== undefined) {
    if (b.peers === undefined) return false;
    const keyA = new Set(a.peers.map(peerKey));
    if (!b.peers.every((x) => keyA.has(peerKey(x)))) return false;
  }
  return evaluatePairPortsOnRule(a, b);
}

function peerKey(p: NonNullable<NormRule['peers']>[number]): string {
  if (p.kind === 'ipBlock') {
    return `ip:${p.cidr.canonical}:${p.except
      .map((e) => e.canonical)
      .sort()
      .join(',')}`;
  }
  return `pods:${p.namespaceSelector?.key ?? '-'}:${p.podSelector?.key ?? '-'}`;
}

// ------------------------------------------------------------------ P21 / P23 ipBlocks

function checkIpBlocks(ctx: RuleContext, p: NormPolicy, report: Report): void {
  const cluster: Array<{ c: Cidr; what: string }> = [];
  for (const s of ctx.settings.podCidrs) {
    const c = parseCidr(s);
    if (c) cluster.push({ c, what: `the pod CIDR ${c.canonical}` });
  }
  for (const s of ctx.settings.serviceCidrs) {
    const c = parseCidr(s);
    if (c) cluster.push({ c, what: `the Service CIDR ${c.canonical}` });
  }
  for (const r of [...p.ingress, ...p.egress]) {
    const blocks = (r.peers ?? []).filter((x): x is Extract<typeof x, { kind: 'ipBlock' }> => x.kind === 'ipBlock');
    for (const b of blocks) {
      for (const { c, what } of cluster) {
        if (c.family !== b.cidr.family || c.hi < b.cidr.lo || c.lo > b.cidr.hi) continue;
        const excluded = b.except.some((e) => e.family === c.family && e.lo <= c.lo && e.hi >= c.hi);
        if (excluded) continue;
        const cidrNode = get(get(b.node, 'ipBlock'), 'cidr') ?? b.node;
        report({
          rule: 'NPP21',
          severity: 'warning',
          s: cidrNode.s,
          e: cidrNode.e,
          message: `${b.cidr.canonical} overlaps ${what}. Pod IPs change all the time, some plugins never match pod IPs with ipBlock, and Service IPs are translated before policy applies. Use pod and namespace selectors for in-cluster traffic${b.cidr.prefix === 0 ? `, or add ${c.canonical} to except` : ''}.`,
        });
      }
    }
    if (ctx.settings.dualStack && blocks.length && (r.peers ?? []).every((x) => x.kind === 'ipBlock')) {
      const fams = new Set(blocks.map((b) => b.cidr.family));
      if (fams.size === 1) {
        const f = [...fams][0];
        report({
          rule: 'NPP23',
          severity: 'info',
          s: blocks[0].node.s,
          e: blocks[0].node.e,
          message: `All ipBlocks of this rule are IPv${f}; in a dual-stack cluster IPv${f === 4 ? 6 : 4} traffic is not covered${blocks.some((b) => b.cidr.prefix === 0) ? ` (add ${f === 4 ? '::/0' : '0.0.0.0/0'} too)` : `. Add the IPv${f === 4 ? 6 : 4} blocks of the same destinations`}.`,
        });
      }
    }
  }
}

export const workspaceRules: RuleModule = {
  rules: [
    {
      id: 'NPP10',
      name: 'dns-blocked',
      severity: 'warning',
      title: 'egress isolation that blocks DNS',
      description:
        'Once a pod is egress-isolated, name lookups fail unless an egress rule allows UDP and TCP 53 to the cluster DNS (kube-system, k8s-app=kube-dns by default; see the netpolLens.dns settings). Add a rule to the DNS pods on both protocols.',
      reference: 'C.10',
      crossFile: true,
      fixes: ['Add a DNS egress rule (UDP and TCP 53 to the cluster DNS)'],
    },
    {
      id: 'NPP11',
      name: 'service-port-instead-of-target-port',
      severity: 'warning',
      title: "Service port used instead of the pod's port",
      description:
        "Policies match traffic after the Service has translated it, on the pod's containerPort (the Service's targetPort). `port: 80` for a Service 80→8080 does not allow the traffic.",
      reference: 'C.11',
      crossFile: true,
      fixes: ['Replace with the targetPort'],
    },
    {
      id: 'NPP12',
      name: 'unresolved-named-port',
      severity: 'warning',
      title: 'named port that no destination defines',
      description:
        "A named port is looked up in the destination pods' container ports (name and protocol). Where it is not defined, the entry allows nothing and the traffic is silently denied.",
      reference: 'C.12',
      crossFile: true,
    },
    {
      id: 'NPP21',
      name: 'ip-block-over-cluster-cidr',
      severity: 'warning',
      title: 'ipBlock covering the pod or Service CIDR',
      description:
        'Pod IPs change all the time and some plugins (Cilium, Terway) never match pod IPs with ipBlock; Service IPs are translated before policy runs. Set netpolLens.podCidrs/serviceCidrs to enable this check.',
      reference: 'C.21',
    },
    {
      id: 'NPP23',
      name: 'single-family-ip-blocks',
      severity: 'info',
      title: 'ipBlocks of one IP family in a dual-stack cluster',
      description:
        '0.0.0.0/0 covers IPv4 only. With netpolLens.dualStack on, rules whose ipBlocks are all one family get this note.',
      reference: 'C.23',
    },
    {
      id: 'NPP25',
      name: 'pod-peer-in-other-namespace',
      severity: 'warning',
      title: 'podSelector peer that only matches pods of other namespaces',
      description:
        "A peer with only podSelector looks in the policy's own namespace. If the labels match pods elsewhere only, a namespaceSelector is missing from the same peer.",
      reference: 'C.25',
      crossFile: true,
      fixes: ['Add a namespaceSelector by name'],
    },
    {
      id: 'NPP27',
      name: 'negative-selector-matches-unlabelled',
      severity: 'info',
      title: 'NotIn also matches unlabelled objects',
      description:
        '`env NotIn [prod]` matches every object without an env label too (as DoesNotExist does by definition). The note lists the unlabelled objects it picks up in the workspace; requiring the key (Exists) in the same selector silences it.',
      reference: 'C.27',
      crossFile: true,
    },
    {
      id: 'NPP37',
      name: 'selects-no-workload',
      severity: 'warning',
      title: 'podSelector that selects no workload',
      description:
        'With the workloads of the namespace in the workspace, a policy whose podSelector matches none of them does nothing: typically a label typo or the wrong namespace.',
      reference: 'C.37',
      crossFile: true,
    },
    {
      id: 'NPP38',
      name: 'shadowed-rule',
      severity: 'hint',
      title: 'rule shadowed by another rule or policy',
      description:
        'Policies add up: a rule allowing a subset of what another rule (or an allow-all policy for the same pods) allows changes nothing, and a second policy can never deny what another allows.',
      reference: 'C.38',
      crossFile: true,
    },
    {
      id: 'NPP39',
      name: 'host-network-workload',
      severity: 'warning',
      title: 'policy selecting or matching hostNetwork pods',
      description:
        'Behaviour for hostNetwork pods is undefined: most plugins neither isolate them nor match them with selectors. Use ipBlocks on node addresses.',
      reference: 'C.39',
      crossFile: true,
    },
  ],
  check(ctx, report) {
    for (const p of ctx.policies) {
      checkDns(ctx, p, report);
      checkPorts(ctx, p, report);
      checkSelectors(ctx, p, report);
      checkRedundancy(ctx, p, report);
      checkIpBlocks(ctx, p, report);
    }
  },
};
