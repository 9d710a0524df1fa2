// Pitfalls in the shape of rules, peers and ports: allow-all rules (P6), explicit empty lists
// (P7), `{}` port entries (P8), protocol defaulting to TCP on UDP ports (P9), named ports towards
// ipBlocks (P13), overlapping excepts (P18), egress ports without `to` (P41), CNI-dependent
// features (P42), null namespaceSelector (P2), AND versus OR peers (P1).

import type { NormPolicy, NormRule } from '../analysis/policy';
import { NAME_LABEL } from '../analysis/world';
import { get, type PMap, type PSeq } from '../model/tree';
import type { Report, RuleContext, RuleModule } from './types';
import { keyOf, labelText, listNames, namespaceLocations, peersKeyOf, sectionOf, workloadLocations } from './util';
import { plural } from '../model/words';
import type { RelatedLocation } from '../analysis/findings';

const UDP_PORTS: Record<number, string> = {
  53: 'DNS',
  123: 'NTP',
  514: 'syslog',
  161: 'SNMP',
  4789: 'VXLAN',
  51820: 'WireGuard',
};

function rulesOf(p: NormPolicy): NormRule[] {
  return [...p.ingress, ...p.egress];
}

function checkAllowAll(ctx: RuleContext, p: NormPolicy, r: NormRule, report: Report): void {
  if (r.peers !== undefined || r.ports !== undefined || !p.types.has(r.direction)) return;
  const dir = r.direction;
  const sel = ctx.inv.selectedBy(p);
  // another policy of the namespace that denies this direction for some of the same pods
  const shadowed = ctx.inv
    .denyAllPoliciesIn(p.namespace, dir)
    .filter((q) => q !== p && ctx.inv.selectedBy(q).some((w) => sel.includes(w)));
  const what =
    dir === 'Ingress'
      ? 'every source (any pod, any namespace, any external address), on every port and protocol'
      : 'every destination (any pod, any namespace, the internet), on every port and protocol';
  const base = `This rule allows ${dir === 'Ingress' ? 'ingress from' : 'egress to'} ${what}${sel.length ? ` for ${plural(sel.length, 'selected workload')}` : ''}. Policies add up, so no other policy can narrow it.`;
  if (shadowed.length) {
    report({
      rule: 'NPP06',
      severity: 'warning',
      s: r.node.s,
      e: r.node.e,
      message: `${base} It overrides the default-deny ${shadowed.map((q) => q.name).join(', ')} for the same pods. If you meant "deny all", use \`${sectionOf(dir)}: []\` instead of \`[{}]\`.`,
      related: shadowed.map((q) => ({
        uri: q.obj.uri,
        doc: q.obj.doc,
        s: q.obj.node.s,
        e: q.obj.node.s,
        message: `default-deny ${q.namespace}/${q.name}`,
      })),
    });
  } else {
    report({
      rule: 'NPP06',
      severity: 'info',
      s: r.node.s,
      e: r.node.e,
      message: `${base} \`${sectionOf(dir)}: [{}]\` is allow-all; \`${sectionOf(dir)}: []\` is deny-all.`,
    });
  }
}

function checkEmptyLists(p: NormPolicy, report: Report): void {
  for (const r of rulesOf(p)) {
    if (r.node.t !== 'map') continue;
    for (const key of [peersKeyOf(r.direction), 'ports']) {
      const en = keyOf(r.node, key);
      if (en && en.value.t === 'seq' && en.value.items.length === 0) {
        const meaning =
          key === 'ports'
            ? 'every port of every protocol'
            : r.direction === 'Ingress'
              ? 'every source, including external addresses'
              : 'every destination, including the internet';
        report({
          rule: 'NPP07',
          severity: 'warning',
          s: en.ks,
          e: en.value.e,
          message: `\`${key}: []\` matches ${meaning}, not nothing. Remove it if that is what you want, or list ${key === 'ports' ? 'ports' : 'peers'}; to deny everything, use an empty ${sectionOf(r.direction)} list instead.`,
        });
      }
    }
  }
}

function checkPorts(p: NormPolicy, report: Report): void {
  for (const r of rulesOf(p)) {
    if (!r.ports) continue;
    for (const pe of r.ports) {
      if (pe.port === undefined && pe.node.t === 'map') {
        const others = r.ports.filter((o) => o !== pe && o.protocol === pe.protocol && o.port !== undefined);
        if (others.length) {
          report({
            rule: 'NPP08',
            severity: 'hint',
            s: pe.node.s,
            e: pe.node.e,
            message: `This entry has no port, so it allows every ${pe.protocol} port${pe.protocolDefaulted ? ' (protocol defaults to TCP)' : ''}; the other ${pe.protocol} entries of this rule are redundant, and other protocols stay blocked.`,
            tags: [],
          });
        } else if (pe.node.entries.length === 0) {
          report({
            rule: 'NPP08',
            severity: 'hint',
            s: pe.node.s,
            e: pe.node.e,
            message:
              '`{}` is defaulted to {protocol: TCP}: it allows every TCP port, not every port. UDP and SCTP stay blocked. Leave out `ports` to allow every protocol.',
          });
        }
      }
      // a single port (not a range: a range that happens to contain 123 is no UDP service port)
      if (pe.protocolDefaulted && typeof pe.port === 'number' && (pe.endPort === undefined || pe.endPort === pe.port)) {
        const lo = pe.port;
        const hi = pe.port;
        for (const [num, svc] of Object.entries(UDP_PORTS)) {
          const n = Number(num);
          if (n < lo || n > hi) continue;
          const hasUdp = r.ports.some(
            (o) =>
              o.protocol === 'UDP' &&
              (o.port === undefined || (typeof o.port === 'number' && o.port <= n && n <= (o.endPort ?? o.port))),
          );
          if (hasUdp) continue;
          const portNode = pe.node.t === 'map' ? get(pe.node, 'port') : undefined;
          const span = portNode ?? pe.node;
          report({
            rule: 'NPP09',
            severity: n === 53 ? 'warning' : 'info',
            s: span.s,
            e: span.e,
            message: `No protocol is given, so this entry means TCP ${n} only; ${svc} uses UDP ${n}${n === 53 ? ' (and TCP for large answers)' : ''}, which stays blocked. Add an entry with protocol: UDP.`,
            data: { addUdp: n },
          });
          break;
        }
      }
      // only a valid range (endPort below port or above 65535 is an error of its own, NPV11/NPV12)
      if (
        typeof pe.port === 'number' &&
        pe.endPort !== undefined &&
        pe.endPort > pe.port &&
        pe.endPort <= 65535 &&
        pe.node.t === 'map'
      ) {
        const en = keyOf(pe.node, 'endPort');
        if (en) {
          report({
            rule: 'NPP42',
            severity: 'hint',
            s: en.ks,
            e: en.ke,
            message: `endPort (a range ${pe.port}-${pe.endPort}) needs support in the network plugin; plugins without it enforce only port ${pe.port}. Check that yours supports endPort, or list the ports you need.`,
          });
        }
      }
      if (pe.protocol === 'SCTP' && pe.node.t === 'map') {
        const en = keyOf(pe.node, 'protocol');
        if (en) {
          report({
            rule: 'NPP42',
            severity: 'hint',
            s: en.value.s,
            e: en.value.e,
            message: 'SCTP filtering depends on the network plugin; check that yours supports it.',
          });
        }
      }
    }
  }
}

function checkPeers(ctx: RuleContext, p: NormPolicy, report: Report): void {
  for (const r of rulesOf(p)) {
    if (r.node.t !== 'map') continue;
    const peersKey = peersKeyOf(r.direction);
    const list = get(r.node, peersKey);
    // P13: named ports towards ipBlock-only destinations
    if (
      r.direction === 'Egress' &&
      r.peers &&
      r.peers.length &&
      r.peers.every((x) => x.kind === 'ipBlock') &&
      r.ports
    ) {
      for (const pe of r.ports) {
        if (typeof pe.port !== 'string' || pe.node.t !== 'map') continue;
        const pn = get(pe.node, 'port')!;
        report({
          rule: 'NPP13',
          severity: 'warning',
          s: pn.s,
          e: pn.e,
          message: `Named port "${pe.port}" never matches here: this rule only goes to ipBlock addresses, and external endpoints have no container ports. Use the port number.`,
        });
      }
    }
    // P41: egress with ports and no `to`
    if (r.direction === 'Egress' && r.peers === undefined && r.ports && p.types.has('Egress')) {
      const en = keyOf(r.node, 'ports');
      if (en && !keyOf(r.node, 'to')) {
        report({
          rule: 'NPP41',
          severity: 'info',
          s: en.ks,
          e: en.ke,
          message:
            'This rule has ports but no `to`: it allows these ports to any destination, including the internet. Add `to` peers if only some destinations are meant.',
        });
      }
    }
    if (!list || list.t !== 'seq') continue;
    // P2: null namespaceSelector
    for (const item of list.items) {
      if (item.t !== 'map') continue;
      const ns = keyOf(item, 'namespaceSelector');
      const pod = get(item, 'podSelector');
      if (ns && ns.value.t === 'scalar' && ns.value.v === null && pod && !(pod.t === 'scalar' && pod.v === null)) {
        report({
          rule: 'NPP02',
          severity: 'warning',
          s: ns.ks,
          e: ns.ke,
          message: `\`namespaceSelector:\` with no value is null, which means "absent": this peer only matches pods in the policy's own namespace (${p.namespace}). Write \`namespaceSelector: {}\` to match pods in every namespace.`,
          data: { nullToEmpty: true },
        });
      }
      if (ns && ns.value.t === 'scalar' && ns.value.v === null && !pod) {
        // an all-null peer is V13; nothing more to say
      }
      const podEn = keyOf(item, 'podSelector');
      if (
        podEn &&
        podEn.value.t === 'scalar' &&
        podEn.value.v === null &&
        ns &&
        !(ns.value.t === 'scalar' && ns.value.v === null)
      ) {
        report({
          rule: 'NPP02',
          severity: 'hint',
          s: podEn.ks,
          e: podEn.ke,
          message:
            '`podSelector:` with no value is null (absent); here it means every pod of the selected namespaces, the same as `{}`. Write `{}` or remove it to make that explicit.',
          data: { nullToEmpty: true },
        });
      }
    }
    // P1: AND versus OR
    checkAndOr(ctx, p, r, list, report);
    // P18: overlapping excepts
    for (const peer of r.peers ?? []) {
      if (peer.kind !== 'ipBlock') continue;
      const ex = peer.except;
      const exNode = get(get(peer.node, 'ipBlock'), 'except');
      if (!exNode || exNode.t !== 'seq') continue;
      for (let i = 0; i < ex.length; i++) {
        for (let j = 0; j < ex.length; j++) {
          if (i === j || ex[i].family !== ex[j].family) continue;
          const inside = ex[j].lo >= ex[i].lo && ex[j].hi <= ex[i].hi;
          if (inside && (i < j || !(ex[i].lo >= ex[j].lo && ex[i].hi <= ex[j].hi))) {
            const node = exNode.items[j];
            const same = ex[i].lo === ex[j].lo && ex[i].hi === ex[j].hi;
            if (node) {
              report({
                rule: 'NPP18',
                severity: 'hint',
                s: node.s,
                e: node.e,
                message: same
                  ? `except ${ex[j].canonical} is listed twice; the second entry changes nothing. Remove it.`
                  : `except ${ex[j].canonical} is already covered by except ${ex[i].canonical}; it changes nothing. Remove it.`,
                tags: ['unnecessary'],
              });
            }
            break;
          }
        }
      }
    }
  }
}

function isNsOnly(n: PMap): boolean {
  const ns = get(n, 'namespaceSelector');
  return !!ns && ns.t === 'map' && !get(n, 'podSelector') && !get(n, 'ipBlock');
}

function isPodOnly(n: PMap): boolean {
  const pod = get(n, 'podSelector');
  return !!pod && pod.t === 'map' && !get(n, 'namespaceSelector') && !get(n, 'ipBlock');
}

function checkAndOr(ctx: RuleContext, p: NormPolicy, r: NormRule, list: PSeq, report: Report): void {
  const items = list.items;
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i];
    const b = items[i + 1];
    if (a.t !== 'map' || b.t !== 'map') continue;
    const pair =
      isNsOnly(a) && isPodOnly(b) ? { ns: a, pod: b } : isPodOnly(a) && isNsOnly(b) ? { ns: b, pod: a } : null;
    if (!pair) continue;
    const podPeer = r.peers?.find((x) => x.node === pair.pod);
    let severity: 'info' | 'warning' = 'info';
    let extra = '';
    let related: RelatedLocation[] = [];
    if (podPeer && podPeer.kind === 'pods' && podPeer.podSelector && ctx.world.workloads.length) {
      const own = ctx.inv.peerWorkloads(podPeer, p.namespace);
      if (!own.length) {
        const sel = podPeer.podSelector;
        const elsewhere = ctx.inv.workloadsMatchingAnywhere(sel).filter((w) => w.namespace !== p.namespace);
        if (elsewhere.length) {
          severity = 'warning';
          extra = ` The pod-only peer matches no pod in ${p.namespace}, only ${listNames(elsewhere.map((w) => w.key))}: it was probably meant to go with the namespaceSelector.`;
          related = workloadLocations(elsewhere, (w) => `${w.key}: ${labelText(w.labels)}`);
        }
      }
    }
    const s = Math.min(pair.ns.s, pair.pod.s);
    const e = Math.max(pair.ns.e, pair.pod.e);
    report({
      rule: 'NPP01',
      severity,
      s,
      e,
      message: `These are two peers (OR): every pod in the selected namespaces, or the selected pods of ${p.namespace}. If you meant only the selected pods inside the selected namespaces (AND), make them one peer by removing the second "-".${extra}`,
      data: { merge: [pair.ns.s, pair.pod.s] },
      ...(related.length ? { related } : {}),
    });
  }
}

function checkNamespaceRefs(ctx: RuleContext, p: NormPolicy, report: Report): void {
  for (const r of rulesOf(p)) {
    for (const peer of r.peers ?? []) {
      if (peer.kind !== 'pods' || !peer.namespaceSelector) continue;
      const selNode = get(peer.node, 'namespaceSelector');
      if (!selNode || selNode.t !== 'map') continue;
      const ml = get(selNode, 'matchLabels');
      const matched = ctx.inv.namespacesMatching(peer.namespaceSelector);
      const declaredAny = [...ctx.world.namespaces.values()].some((n) => n.declared);
      let reportedHint = false;
      if (ml && ml.t === 'map') {
        for (const en of ml.entries) {
          if (!['name', 'namespace', 'ns'].includes(en.key) || en.value.t !== 'scalar') continue;
          const val = String(en.value.v ?? '');
          const hasLabel = [...ctx.world.namespaces.values()].some((n) => n.labels[en.key] === val);
          if (hasLabel) continue;
          reportedHint = true;
          report({
            rule: 'NPP24',
            severity: declaredAny ? 'warning' : 'hint',
            s: en.ks,
            e: en.value.e,
            related: namespaceLocations(
              [...ctx.world.namespaces.values()],
              (n) => `Namespace ${n.name}: ${labelText(n.labels)}`,
            ),
            message: `Namespaces are not labelled "${en.key}" unless someone adds that label${declaredAny ? `, and no namespace in the workspace has ${en.key}=${val}` : ''}. Select a namespace by name with kubernetes.io/metadata.name: ${val}, which every namespace carries.`,
            data: { useNameLabel: val, key: en.key },
          });
        }
      }
      // a namespace chosen by name (kubernetes.io/metadata.name) may simply not be in these
      // manifests (kube-system, a monitoring namespace of another repository): not a mistake
      const byName =
        peer.namespaceSelector.reqs.length > 0 &&
        peer.namespaceSelector.reqs.every((q) => q.key === NAME_LABEL && q.op === 'In');
      if (!reportedHint && !matched.length && declaredAny && !byName) {
        const selKey = keyOf(peer.node, 'namespaceSelector');
        report({
          rule: 'NPP24',
          severity: 'warning',
          s: selKey ? selKey.ks : selNode.s,
          e: selKey ? selKey.ke : selNode.e,
          related: namespaceLocations(
            [...ctx.world.namespaces.values()],
            (n) => `Namespace ${n.name}: ${labelText(n.labels)}`,
          ),
          message: `This namespaceSelector matches no namespace in the workspace (${listNames([...ctx.world.namespaces.keys()])}), so this peer allows nothing. Check the labels; to select a namespace by name use kubernetes.io/metadata.name.`,
        });
      }
    }
  }
}

export const rulesShape: RuleModule = {
  rules: [
    {
      id: 'NPP01',
      name: 'and-versus-or-peers',
      severity: 'info',
      title: 'namespace-only and pod-only peers side by side (OR, not AND)',
      description:
        'One "-" decides between AND and OR: `- namespaceSelector: …\\n  podSelector: …` is one peer (pods matching both), while two items are two peers (all pods of those namespaces, or those pods of the policy\'s own namespace). A warning when the pod-only peer only matches pods in other namespaces.',
      reference: 'C.1',
      crossFile: true,
      fixes: ['Merge into one peer (AND)'],
    },
    {
      id: 'NPP02',
      name: 'null-selector',
      severity: 'warning',
      title: 'null selector in a peer',
      description:
        '`namespaceSelector:` with no value is null, treated as absent: the peer means "the policy\'s own namespace", not "all namespaces". Use `{}` to select everything.',
      reference: 'C.2',
      fixes: ['Replace null with {}'],
    },
    {
      id: 'NPP06',
      name: 'allow-all-rule',
      severity: 'info',
      title: 'rule that allows everything',
      description:
        '`ingress: [{}]` (or an egress rule `{}`) allows every peer on every port and protocol, including external traffic, and overrides any default-deny for the same pods because policies add up. `[]` is deny-all; `[{}]` is allow-all.',
      reference: 'C.6',
      crossFile: true,
    },
    {
      id: 'NPP07',
      name: 'explicit-empty-list',
      severity: 'warning',
      title: '`from: []`, `to: []` or `ports: []` means "any"',
      description:
        'An empty from/to/ports list is the same as leaving it out: it matches every peer or port, not none.',
      reference: 'C.7',
    },
    {
      id: 'NPP08',
      name: 'port-entry-without-port',
      severity: 'hint',
      title: 'port entry without a port: all ports of one protocol',
      description:
        '`ports: [{}]` is defaulted to {protocol: TCP}: all TCP ports, not all ports. Next to numeric entries of the same protocol it makes them redundant.',
      reference: 'C.8',
    },
    {
      id: 'NPP09',
      name: 'udp-port-without-protocol',
      severity: 'warning',
      title: 'UDP service port without protocol (defaults to TCP)',
      description:
        'protocol defaults to TCP. `port: 53` alone allows DNS over TCP only; UDP 53 stays blocked and lookups fail. Also NTP (123), syslog (514), SNMP, VXLAN, WireGuard.',
      reference: 'C.9',
      fixes: ['Add the same port with protocol: UDP'],
    },
    {
      id: 'NPP13',
      name: 'named-port-to-ip-block',
      severity: 'warning',
      title: 'named port in an egress rule to ipBlocks only',
      description:
        "Named ports are looked up in the destination pod's containers; external addresses have none, so the entry matches nothing.",
      reference: 'C.13',
    },
    {
      id: 'NPP18',
      name: 'redundant-except',
      severity: 'hint',
      title: 'except inside another except',
      description: 'An except entry inside another except entry of the same ipBlock changes nothing.',
      reference: 'C.18',
    },
    {
      id: 'NPP24',
      name: 'namespace-label-not-present',
      severity: 'warning',
      title: 'namespace selected by a label it does not have',
      description:
        'Namespaces carry kubernetes.io/metadata.name=<name> automatically, but not `name`, `namespace` or `ns` unless someone added them. A selector on a missing label matches nothing.',
      reference: 'C.24',
      crossFile: true,
      fixes: ['Select by kubernetes.io/metadata.name'],
    },
    {
      id: 'NPP41',
      name: 'egress-ports-without-to',
      severity: 'info',
      title: 'egress rule with ports but no `to`',
      description: 'Without `to`, an egress rule allows its ports to every destination, including the internet.',
      reference: 'C.41',
    },
    {
      id: 'NPP42',
      name: 'cni-dependent-feature',
      severity: 'hint',
      title: 'endPort or SCTP needs network-plugin support',
      description:
        'endPort ranges and SCTP are enforced only by plugins that support them; others enforce only `port` or ignore SCTP.',
      reference: 'C.42',
    },
  ],
  check(ctx, report) {
    for (const p of ctx.policies) {
      for (const r of rulesOf(p)) checkAllowAll(ctx, p, r, report);
      checkEmptyLists(p, report);
      checkPorts(p, report);
      checkPeers(ctx, p, report);
      checkNamespaceRefs(ctx, p, report);
    }
  },
};
