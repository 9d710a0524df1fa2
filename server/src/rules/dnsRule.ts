// P10: egress isolation that blocks name lookups (no rule allows UDP and TCP to the cluster DNS).

import { evaluateDirection } from '../analysis/evaluate';
import type { NormPolicy } from '../analysis/policy';
import type { Protocol } from '../analysis/ports';
import { containsPort } from '../analysis/ports';
import type { Workload } from '../analysis/world';
import type { Report, RuleContext } from './types';
import { keyOf, listNames, policyAnchor } from './util';
import { dnsKey } from './worldFacts';

/** The cluster DNS workloads (settings `dns`), or a stand-in pod when the workspace has none. */
function dnsTargets(ctx: RuleContext): readonly Workload[] {
  const { namespace, podLabels, port } = ctx.settings.dns;
  return ctx.inv.memo(`rules:dnsTargets\u0000${dnsKey(ctx.settings)}`, () => {
    const found = (ctx.inv.byNamespace.get(namespace) ?? []).filter((w) =>
      Object.entries(podLabels).every(([k, v]) => w.labels[k] === v),
    );
    if (found.length) return found;
    const standIn: Workload = {
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
    };
    return [standIn];
  });
}

/** A stand-in for the pods a policy selects when the workspace has none of its namespace. */
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

/** The DNS protocols a workload cannot reach (the same for every policy that selects it). */
function missingDns(ctx: RuleContext, w: Workload, targets: readonly Workload[]): Protocol[] {
  const who =
    w.id >= 0
      ? w.id
      : `${w.namespace}\u0000${Object.keys(w.labels)
          .sort()
          .map((k) => `${k}=${w.labels[k]}`)
          .join(',')}`;
  return ctx.inv.memo(`rules:dns\u0000${dnsKey(ctx.settings)}\u0000${who}`, () => {
    const out: Protocol[] = [];
    const iso = ctx.inv.isolatedBy(w, 'Egress');
    const allowed = targets.map(
      (t) => evaluateDirection(ctx.world, 'Egress', w, { kind: 'workload', w: t }, iso).allowed,
    );
    for (const proto of ['UDP', 'TCP'] as const) {
      if (!allowed.some((a) => containsPort(a, proto, ctx.settings.dns.port))) out.push(proto);
    }
    return out;
  });
}

/** Where NPP10 is shown: `Egress` in policyTypes, else the egress key, else the spec. */
function egressAnchor(p: NormPolicy): { s: number; e: number } {
  const pt = keyOf(p.specNode, 'policyTypes');
  const egressType =
    pt && pt.value.t === 'seq' ? pt.value.items.find((i) => i.t === 'scalar' && i.v === 'Egress') : undefined;
  const egress = keyOf(p.specNode, 'egress');
  return egressType ?? (egress ? { s: egress.ks, e: egress.ke } : policyAnchor(p));
}

export function checkDns(ctx: RuleContext, p: NormPolicy, report: Report): void {
  if (!p.valid || !p.types.has('Egress')) return;
  let selected: readonly Workload[] = ctx.inv.selectedBy(p);
  const synthetic = !selected.length;
  if (synthetic) {
    if ((ctx.inv.byNamespace.get(p.namespace) ?? []).length) return; // selects nothing: P37's business
    selected = [syntheticSelected(p)];
  }
  const targets = dnsTargets(ctx);
  const { namespace, podLabels, port } = ctx.settings.dns;
  const blocked: Array<{ w: Workload; missing: Protocol[] }> = [];
  for (const w of selected) {
    if (w.namespace === namespace && targets.includes(w)) continue;
    const missing = missingDns(ctx, w, targets);
    if (missing.length) blocked.push({ w, missing });
  }
  if (!blocked.length) return;
  const anyUdp = blocked.some((b) => b.missing.includes('UDP'));
  const missing = anyUdp ? (blocked.some((b) => b.missing.includes('TCP')) ? ['UDP', 'TCP'] : ['UDP']) : ['TCP'];
  const who = synthetic ? 'The pods this policy selects' : `${listNames(blocked.map((b) => b.w.key))}`;
  const anchor = egressAnchor(p);
  const dnsWhere = `${namespace}/${Object.entries(podLabels)
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
