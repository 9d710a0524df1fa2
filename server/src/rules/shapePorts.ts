// Pitfalls in port entries: `{}` entries (docs/semantics.md C.8), protocol defaulting to TCP on UDP service ports
// (docs/semantics.md C.9), endPort and SCTP, which depend on the network plugin (docs/semantics.md C.42).

import type { NormPolicy, NormRule } from '../analysis/policy';
import { get } from '../model/tree';
import type { Report } from './types';
import { keyOf } from './util';

type PortEntry = NonNullable<NormRule['ports']>[number];

const UDP_PORTS: Record<number, string> = {
  53: 'DNS',
  123: 'NTP',
  514: 'syslog',
  161: 'SNMP',
  4789: 'VXLAN',
  51820: 'WireGuard',
};

/** P8: an entry without a port allows every port of its protocol (TCP for `{}`). */
function checkEntryWithoutPort(ports: readonly PortEntry[], pe: PortEntry, report: Report): void {
  if (pe.port !== undefined || pe.node.t !== 'map') return;
  const others = ports.filter((o) => o !== pe && o.protocol === pe.protocol && o.port !== undefined);
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

/** P9: a UDP service port without protocol means TCP only. */
function checkUdpDefault(ports: readonly PortEntry[], pe: PortEntry, report: Report): void {
  // a single port (not a range: a range that happens to contain 123 is no UDP service port)
  if (!pe.protocolDefaulted || typeof pe.port !== 'number' || (pe.endPort !== undefined && pe.endPort !== pe.port)) {
    return;
  }
  const lo = pe.port;
  const hi = pe.port;
  for (const [num, svc] of Object.entries(UDP_PORTS)) {
    const n = Number(num);
    if (n < lo || n > hi) continue;
    const hasUdp = ports.some(
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

/** P42: endPort ranges and SCTP need support in the network plugin. */
function checkPluginFeatures(pe: PortEntry, report: Report): void {
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

/** The port-entry pitfalls of every rule of a policy (P8, P9, P42), entry by entry. */
export function checkPortEntries(p: NormPolicy, report: Report): void {
  for (const r of [...p.ingress, ...p.egress]) {
    if (!r.ports) continue;
    for (const pe of r.ports) {
      checkEntryWithoutPort(r.ports, pe, report);
      checkUdpDefault(r.ports, pe, report);
      checkPluginFeatures(pe, report);
    }
  }
}
