// `netpol-lens explain`: the verdict for one pair and why, with file and line of each policy,
// rule and peer involved.

import { textLine } from '../analysis/escape';
import type { ManifestDocument } from '../model/document';
import { type Endpoint, evaluatePair, type DirectionVerdict, type RuleMatch } from '../analysis/evaluate';
import { parsePortSpec, resolveRef } from '../analysis/refs';
import type { NormPolicy } from '../analysis/policy';
import { containsPort, describePorts, type Protocol } from '../analysis/ports';
import { portSentence, tierLines } from '../analysis/tierExplain';
import type { Workload, World } from '../analysis/world';
import { UsageError } from './args';

export function resolveEndpoint(world: World, ref: string, what: string, allowIp: boolean): Endpoint {
  const r = resolveRef(world, ref, allowIp);
  if (r.kind === 'ip') return r.e;
  if (r.kind === 'malformed') {
    throw new UsageError(`${what} must be namespace/name${allowIp ? ' or an IP address' : ''} (got "${ref}")`);
  }
  if (r.found.length === 1) return { kind: 'workload', w: r.found[0] };
  if (r.found.length > 1) {
    throw new UsageError(`${what} "${ref}" is ambiguous: ${r.found.map((w) => w.key).join(', ')}`);
  }
  const near = world.workloads
    .filter((w) => w.name === r.name || w.namespace === r.ns)
    .slice(0, 5)
    .map((w) => w.key);
  throw new UsageError(`${what}: no workload ${ref}${near.length ? ` (known: ${near.join(', ')})` : ''}`);
}

export function parsePortArg(s: string): { port: number; protocol: Protocol } {
  const ok = parsePortSpec(s);
  if (ok) return ok;
  // say what is wrong
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(s);
  if (!m) throw new UsageError(`--port must be PORT or PORT/PROTOCOL, e.g. 5432/TCP (got "${s}")`);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) throw new UsageError(`--port must be between 1 and 65535 (got ${port})`);
  throw new UsageError(`--port protocol must be TCP, UDP or SCTP (got "${m[2]}")`);
}

export type Locate = (doc: ManifestDocument, offset: number, uri: string) => string;

function endpointName(e: Endpoint): string {
  return e.kind === 'workload' ? e.w.key : e.family === 4 ? `${ipText(e)}` : ipText(e);
}

function ipText(e: Endpoint & { kind: 'ip' }): string {
  if (e.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((e.ip >> s) & 255n)).join('.');
  const g: string[] = [];
  for (let i = 7; i >= 0; i--) g.push(((e.ip >> BigInt(i * 16)) & 0xffffn).toString(16));
  return g.join(':');
}

function polLoc(p: NormPolicy, locate: Locate): string {
  return locate(p.obj.doc, p.obj.node.s, p.obj.uri);
}

function policyName(p: NormPolicy): string {
  return `${p.namespace}/${p.name}`;
}

function typesReason(p: NormPolicy): string {
  switch (p.typesReason) {
    case 'explicit':
      return `policyTypes [${[...p.types].join(', ')}]`;
    case 'defaulted-ingress-only':
      return 'policyTypes defaulted to [Ingress]';
    case 'defaulted-with-egress':
      return 'policyTypes defaulted to [Ingress, Egress] because it has egress rules';
  }
}

function matchText(m: RuleMatch, locate: Locate, onlyPort?: { port: number; protocol: Protocol }): string | null {
  if (onlyPort && !containsPort(m.ports, onlyPort.protocol, onlyPort.port)) return null;
  const doc = m.policy.obj.doc;
  const where = locate(doc, m.rule.node.s, m.policy.obj.uri);
  const section = m.rule.direction === 'Ingress' ? 'ingress' : 'egress';
  const peer = m.peer
    ? `peer ${m.peer.index + 1} (${locate(doc, m.peer.node.s, m.policy.obj.uri)})`
    : `any ${m.rule.direction === 'Ingress' ? 'source' : 'destination'} (no ${m.rule.direction === 'Ingress' ? 'from' : 'to'} list)`;
  return `    ${describePorts(m.ports)}: policy ${policyName(m.policy)}, ${section} rule ${m.rule.index + 1} (${where}), ${peer}`;
}

function directionText(
  v: DirectionVerdict | undefined,
  self: string,
  locate: Locate,
  onlyPort?: { port: number; protocol: Protocol },
): string[] {
  if (!v) return [];
  const head = v.direction === 'Egress' ? `Egress from ${self}` : `Ingress to ${self}`;
  if (v.tiers) return tieredDirectionText(v, head, self, locate, onlyPort);
  if (!v.isolatedBy.length) {
    return [
      `  ${head}: not isolated (no policy selects it for ${v.direction.toLowerCase()}), so everything is allowed`,
    ];
  }
  const out = [
    `  ${head}: isolated by ${v.isolatedBy.map((p) => `${policyName(p)} (${polLoc(p, locate)}; ${typesReason(p)})`).join(', ')}`,
  ];
  const lines = v.matches.map((m) => matchText(m, locate, onlyPort)).filter((x): x is string => x !== null);
  if (lines.length) {
    out.push(`    allowed ${onlyPort ? `${onlyPort.protocol} ${onlyPort.port}` : describePorts(v.allowed)} by:`);
    out.push(...lines.map((l) => `  ${l}`));
  } else {
    out.push(
      `    nothing ${onlyPort ? `on ${onlyPort.protocol} ${onlyPort.port} ` : ''}is allowed: no rule of these policies matches`,
    );
    for (const miss of v.misses) {
      const where = miss.rule
        ? `${miss.rule.direction.toLowerCase()} rule ${miss.rule.index + 1} (${locate(miss.policy.obj.doc, miss.rule.node.s, miss.policy.obj.uri)})`
        : polLoc(miss.policy, locate);
      out.push(`      ${policyName(miss.policy)} ${where}: ${miss.reason}`);
    }
    if (onlyPort) {
      for (const m of v.matches) {
        out.push(
          `      ${policyName(m.policy)} ${m.rule.direction.toLowerCase()} rule ${m.rule.index + 1} (${locate(m.policy.obj.doc, m.rule.node.s, m.policy.obj.uri)}): matches the peer but allows only ${describePorts(m.ports)}`,
        );
      }
    }
  }
  return out;
}

/** A direction walked through the tiers (docs/semantics.md D.5), with the NetworkPolicy rules that matched. */
function tieredDirectionText(
  v: DirectionVerdict,
  head: string,
  self: string,
  locate: Locate,
  onlyPort?: { port: number; protocol: Protocol },
): string[] {
  const where = (p: { obj: { doc: ManifestDocument; uri: string } }, offset: number): string =>
    locate(p.obj.doc, offset, p.obj.uri);
  const allowed = onlyPort
    ? `${onlyPort.protocol} ${onlyPort.port} ${containsPort(v.allowed, onlyPort.protocol, onlyPort.port) ? 'allowed' : 'denied'}`
    : `allows ${describePorts(v.allowed)}`;
  const out = [`  ${head}: ${allowed}; the Admin tier, then NetworkPolicies, then the Baseline tier decide:`];
  out.push(...tierLines(v, self, where, onlyPort).map((l) => `    ${l}`));
  const lines = v.matches.map((m) => matchText(m, locate, onlyPort)).filter((x): x is string => x !== null);
  if (lines.length) out.push('    NetworkPolicy rules that match:', ...lines.map((l) => `  ${l}`));
  return out;
}

export function explainText(
  world: World,
  src: Endpoint,
  dst: Endpoint,
  locate: Locate,
  port?: { port: number; protocol: Protocol },
): { text: string; allowed: boolean } {
  const v = evaluatePair(world, src, dst);
  const allowed = port
    ? containsPort(v.allowed, port.protocol, port.port)
    : describePorts(v.allowed) !== 'No Connections';
  const srcName = endpointName(src);
  const dstName = endpointName(dst);
  const lines: string[] = [];
  if (src.kind === 'workload' && dst.kind === 'workload' && src.w === dst.w) {
    lines.push(`${srcName} => ${dstName}: a workload's traffic to itself is always allowed (policies cannot block it)`);
    return { text: `${lines.map(textLine).join('\n')}\n`, allowed: true };
  }
  const tiered = !!(v.egress?.tiers ?? v.ingress?.tiers);
  if (port && tiered) lines.push(portSentence(v, srcName, dstName, port.protocol, port.port));
  else if (port) {
    lines.push(`${srcName} => ${dstName} ${port.protocol} ${port.port}: ${allowed ? 'ALLOWED' : 'DENIED'}`);
  } else lines.push(`${srcName} => ${dstName}: ${describePorts(v.allowed)}`);
  lines.push(...directionText(v.egress, srcName, locate, port));
  if (src.kind === 'ip') lines.push(`  Egress from ${srcName}: an external address; NetworkPolicy does not police it`);
  lines.push(...directionText(v.ingress, dstName, locate, port));
  if (dst.kind === 'ip') lines.push(`  Ingress to ${dstName}: an external address; NetworkPolicy does not police it`);
  lines.push('  Replies on an allowed connection are always allowed; they need no rule in the other direction.');
  return { text: `${lines.map(textLine).join('\n')}\n`, allowed };
}

export type { Workload };
