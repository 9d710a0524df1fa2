// Connectivity expectations as code: a `ConnectivityExpectations` document (apiVersion
// netpol-lens.dev/v1, not a Kubernetes object: keep it out of what kubectl applies) lists
// connections that must be allowed or denied. Each entry is checked against the workspace on every
// change, in the editor and in `netpol-lens check`, and reported where it is written.
//
//   apiVersion: netpol-lens.dev/v1
//   kind: ConnectivityExpectations
//   metadata:
//     name: shop-contracts
//   expectations:
//     - from: shop/frontend            # namespace/name, namespace/name[Kind], or an IP address
//       to: shop/checkout
//       port: 5050                     # optional: PORT or PORT/PROTOCOL (default TCP)
//       allowed: true
//     - from: shop/frontend
//       to: payments/payments-db
//       allowed: false                 # without port: no port at all may be allowed

import { type Endpoint, evaluatePair, type PairVerdict } from '../analysis/evaluate';
import { parsePortSpec, resolveRef } from '../analysis/refs';
import { containsPort, describePorts, isAllPorts, isEmptyPorts, type Protocol } from '../analysis/ports';
import type { Workload, World } from '../analysis/world';
import { get, type PNode } from '../model/tree';
import type { Report, RuleContext, RuleModule } from './types';

export const EXPECTATIONS_KIND = 'ConnectivityExpectations';
export const EXPECTATIONS_API = 'netpol-lens.dev/v1';

/** Is this object an expectations document? */
export function isExpectations(o: { type: string; kind: string; apiVersion?: string }): boolean {
  return o.type === 'other' && o.kind === EXPECTATIONS_KIND && (o.apiVersion ?? '').startsWith('netpol-lens.dev/');
}

/** An end of an expectation, or why it cannot be one (with workloads to point at). */
function endpoint(world: World, ref: string): { e?: Endpoint; error?: string; near?: Workload[] } {
  const r = resolveRef(world, ref);
  if (r.kind === 'ip') return { e: r.e };
  if (r.kind === 'malformed') {
    return { error: `"${ref}" is neither namespace/name (optionally with [Kind]) nor an IP address` };
  }
  if (r.found.length === 1) return { e: { kind: 'workload', w: r.found[0] } };
  if (r.found.length > 1) {
    return {
      error: `"${ref}" is ambiguous: ${r.found.map((w) => w.key).join(', ')}; add the kind, e.g. ${r.found[0].key}`,
      near: [...r.found],
    };
  }
  const sameName = world.workloads.filter((w) => w.namespace === r.ns && w.name === r.name); // another kind
  return {
    error: `no workload ${ref} in the workspace`,
    near: sameName.length
      ? sameName
      : world.workloads.filter((w) => w.name === r.name || w.namespace === r.ns).slice(0, 3),
  };
}

function scalar(n: PNode | undefined): string | number | boolean | null | undefined {
  return n && n.t === 'scalar' ? (n.v as string | number | boolean | null) : undefined;
}

/** One expectation entry, read and evaluated. */
export type ExpectationResult =
  | { readonly kind: 'invalid'; readonly node: PNode; readonly message: string; readonly near: readonly Workload[] }
  | {
      readonly kind: 'evaluated';
      readonly from: string;
      readonly to: string;
      readonly allowed: boolean;
      readonly port?: { readonly port: number; readonly protocol: Protocol };
      readonly verdict: PairVerdict;
      readonly met: boolean;
      /** "nothing is allowed", "every port is allowed", "TCP 80 is allowed". */
      readonly actually: string;
    };

/** Reads and evaluates one entry of an `expectations` list (never throws). */
export function evaluateExpectation(world: World, item: PNode): ExpectationResult {
  const invalid = (n: PNode | undefined, message: string, near: readonly Workload[] = []): ExpectationResult => ({
    kind: 'invalid',
    node: n ?? item,
    message,
    near,
  });
  if (item.t !== 'map') return invalid(item, 'An expectation is a map: {from, to, port?, allowed}.');
  const fromN = get(item, 'from');
  const toN = get(item, 'to');
  const allowedN = get(item, 'allowed');
  const portN = get(item, 'port');
  const from = scalar(fromN);
  const to = scalar(toN);
  const allowed = scalar(allowedN);
  if (typeof from !== 'string' || !from) return invalid(fromN, '`from` must be namespace/name or an IP address.');
  if (typeof to !== 'string' || !to) return invalid(toN, '`to` must be namespace/name or an IP address.');
  if (typeof allowed !== 'boolean') return invalid(allowedN, '`allowed` must be true or false.');
  let port: { port: number; protocol: Protocol } | undefined;
  if (portN) {
    port = parsePortSpec(String(scalar(portN) ?? ''));
    if (!port) return invalid(portN, '`port` must be PORT or PORT/PROTOCOL, e.g. 5432 or 53/UDP.');
  }
  const src = endpoint(world, from);
  if (src.error) return invalid(fromN, `from: ${src.error}.`, src.near);
  const dst = endpoint(world, to);
  if (dst.error) return invalid(toN, `to: ${dst.error}.`, dst.near);
  if (src.e!.kind === 'ip' && dst.e!.kind === 'ip') {
    return invalid(item, 'One end of an expectation must be a workload.');
  }
  const verdict = evaluatePair(world, src.e!, dst.e!);
  const met = port
    ? containsPort(verdict.allowed, port.protocol, port.port) === allowed
    : isEmptyPorts(verdict.allowed) !== allowed;
  const actually = isEmptyPorts(verdict.allowed)
    ? 'nothing is allowed'
    : isAllPorts(verdict.allowed)
      ? 'every port is allowed'
      : `${describePorts(verdict.allowed)} is allowed`;
  return { kind: 'evaluated', from, to, allowed, ...(port ? { port } : {}), verdict, met, actually };
}

/** "to be allowed on TCP 80", "to be denied entirely". */
export function expectationWords(r: Extract<ExpectationResult, { kind: 'evaluated' }>): string {
  const what = r.port ? `${r.port.protocol} ${r.port.port}` : 'any port';
  return r.allowed ? `to be allowed on ${what}` : `to be denied${r.port ? ` on ${what}` : ' entirely'}`;
}

function check(ctx: RuleContext, report: Report): void {
  for (const o of ctx.objects) {
    if (!isExpectations(o)) continue;
    const list = get(o.node, 'expectations');
    const anchor = get(o.node, 'kind') ?? o.node;
    if (!list || list.t !== 'seq') {
      report({
        rule: 'NPX08',
        severity: 'error',
        s: anchor.s,
        e: anchor.e,
        message: 'A ConnectivityExpectations document needs an `expectations` list of {from, to, port?, allowed}.',
      });
      continue;
    }
    for (const item of list.items) {
      const r = evaluateExpectation(ctx.world, item);
      if (r.kind === 'invalid') {
        report({
          rule: 'NPX08',
          severity: 'error',
          s: r.node.s,
          e: r.node.e,
          message: r.message,
          ...(r.near.length
            ? {
                related: r.near
                  .filter((w) => w.sources.length)
                  .map((w) => ({
                    uri: w.sources[0].uri,
                    doc: w.sources[0].doc,
                    s: w.sources[0].node.s,
                    e: w.sources[0].node.s,
                    message: `workload ${w.key}`,
                  })),
              }
            : {}),
        });
        continue;
      }
      if (r.met) continue;
      // where the decision comes from: the isolating policies of each side
      const related = [...(r.verdict.egress?.isolatedBy ?? []), ...(r.verdict.ingress?.isolatedBy ?? [])]
        .slice(0, 4)
        .map((p) => ({
          uri: p.obj.uri,
          doc: p.obj.doc,
          s: p.obj.node.s,
          e: p.obj.node.s,
          message: `isolating policy ${p.namespace}/${p.name}`,
        }));
      report({
        rule: 'NPX07',
        severity: 'error',
        s: item.s,
        e: item.e,
        message: `Expected ${r.from} → ${r.to} ${expectationWords(r)}, but ${r.actually}. Run netpol-lens explain --from ${r.from} --to ${r.to}${r.port ? ` --port ${r.port.port}/${r.port.protocol}` : ''} to see which rules decide.`,
        related,
      });
    }
  }
}

export const expectations: RuleModule = {
  rules: [
    {
      id: 'NPX07',
      name: 'expectation-not-met',
      severity: 'error',
      title: 'connectivity expectation not met',
      description:
        'A ConnectivityExpectations entry says a connection must be allowed (or denied), and the policies of the workspace decide otherwise.',
      crossFile: true,
    },
    {
      id: 'NPX08',
      name: 'invalid-expectation',
      severity: 'error',
      title: 'expectation that cannot be checked',
      description:
        'A ConnectivityExpectations entry must name two ends (namespace/name or an IP address, one of them a workload that exists), an optional port, and allowed: true or false.',
      crossFile: true,
    },
  ],
  check,
};
