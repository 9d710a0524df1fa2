// Hand-written cases for the semantics of docs/semantics.md A and B: each asserts the
// allowed ports of a connection with both the pair-by-pair reference (evaluate.ts) and the fast
// engine (connectivity.ts).
import { strict as assert } from 'node:assert';
import { computeConnectivity, pairPorts } from '../../server/src/analysis/connectivity';
import { allowedPorts, type Endpoint } from '../../server/src/analysis/evaluate';
import { parseIp } from '../../server/src/analysis/ipset';
import { describePorts } from '../../server/src/analysis/ports';
import type { World } from '../../server/src/analysis/world';
import { worldOf } from '../support/workspace';

/** A workspace: namespaces with labels, deployments `ns/name` with labels and named ports, policies. */
function ws(opts: {
  namespaces?: Record<string, Record<string, string>>;
  workloads: Record<string, { labels?: Record<string, string>; ports?: Array<[string, number, string?]> }>;
  policies: string[];
}): World {
  const docs: string[] = [];
  for (const [ns, labels] of Object.entries(opts.namespaces ?? {})) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: ${JSON.stringify(labels)}\n`);
  }
  for (const [key, w] of Object.entries(opts.workloads)) {
    const [ns, name] = key.split('/');
    const ports = (w.ports ?? []).map(([n, p, proto]) => ({
      name: n,
      containerPort: p,
      ...(proto ? { protocol: proto } : {}),
    }));
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  template:\n    metadata:\n      labels: ${JSON.stringify(w.labels ?? { app: name })}\n    spec:\n      containers: [{name: c, ports: ${JSON.stringify(ports)}}]\n`,
    );
  }
  docs.push(...opts.policies);
  return worldOf(docs.join('---\n'));
}

function ep(world: World, ref: string): Endpoint {
  const ip = parseIp(ref);
  if (ip) return { kind: 'ip', family: ip.family, ip: ip.value };
  const w = world.workloads.find((x) => `${x.namespace}/${x.name}` === ref);
  assert.ok(w, `no workload ${ref}`);
  return { kind: 'workload', w };
}

/** Asserts the allowed ports src -> dst with both evaluators. */
function conn(world: World, src: string, dst: string, expected: string): void {
  const a = ep(world, src);
  const b = ep(world, dst);
  const ref = describePorts(allowedPorts(world, a, b));
  assert.equal(ref, expected, `reference: ${src} => ${dst}`);
  const c = computeConnectivity(world);
  let fast: string;
  if (a.kind === 'workload' && b.kind === 'workload') fast = describePorts(pairPorts(c, a.w, b.w));
  else {
    const w = a.kind === 'workload' ? a.w : (b as Endpoint & { kind: 'workload' }).w;
    const ip = a.kind === 'ip' ? a : (b as Endpoint & { kind: 'ip' });
    const sides = a.kind === 'ip' ? c.ipIngress[c.classOf[w.id]] : c.ipEgress[c.classOf[w.id]];
    const segs = ip.family === 4 ? sides.v4 : sides.v6;
    const s = segs.find((x) => x.lo <= ip.ip && ip.ip <= x.hi);
    fast = s ? describePorts(c.table.get(s.ports)) : 'No Connections';
  }
  assert.equal(fast, expected, `fast engine: ${src} => ${dst}`);
}

const pol = (ns: string, name: string, spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

describe('semantics (docs/semantics.md A and B)', () => {
  describe('isolation and defaults (docs/semantics.md B.3, A.8)', () => {
    it('everything is allowed when no policy selects a pod, in both directions and to external addresses', () => {
      const w = ws({ workloads: { 'a/x': {}, 'b/y': {} }, policies: [] });
      conn(w, 'a/x', 'b/y', 'All Connections');
      conn(w, '8.8.8.8', 'a/x', 'All Connections');
      conn(w, 'a/x', '2001:db8::1', 'All Connections');
    });
    it('a policy with no rules and no policyTypes denies all ingress only (egress stays open)', () => {
      const w = ws({ workloads: { 'a/x': {}, 'a/y': {} }, policies: [pol('a', 'deny', 'podSelector: {}')] });
      conn(w, 'a/x', 'a/y', 'No Connections');
      conn(w, 'a/x', '8.8.8.8', 'All Connections');
      conn(w, '8.8.8.8', 'a/x', 'No Connections');
    });
    it('a policy without spec denies all ingress of the namespace', () => {
      const w = ws({
        workloads: { 'a/x': {}, 'b/y': {} },
        policies: ['apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\n'],
      });
      conn(w, 'b/y', 'a/x', 'No Connections');
      conn(w, 'a/x', 'b/y', 'All Connections');
    });
    it('egress rules without policyTypes isolate both directions', () => {
      const w = ws({
        workloads: { 'a/x': {}, 'a/y': {} },
        policies: [pol('a', 'p', 'podSelector: {matchLabels: {app: x}}\negress: [{ports: [{port: 443}]}]')],
      });
      conn(w, 'a/x', 'a/y', 'TCP 443');
      conn(w, 'a/y', 'a/x', 'No Connections');
    });
    it('`egress: []` without policyTypes does not isolate egress; with [Egress] it denies all egress', () => {
      const a = ws({
        workloads: { 'a/x': {}, 'a/y': {} },
        policies: [pol('a', 'p', 'podSelector: {matchLabels: {app: x}}\negress: []')],
      });
      conn(a, 'a/x', 'a/y', 'All Connections');
      conn(a, 'a/y', 'a/x', 'No Connections');
      const b = ws({
        workloads: { 'a/x': {}, 'a/y': {} },
        policies: [pol('a', 'p', 'podSelector: {matchLabels: {app: x}}\npolicyTypes: [Egress]\negress: []')],
      });
      conn(b, 'a/x', 'a/y', 'No Connections');
      conn(b, 'a/y', 'a/x', 'All Connections');
    });
    it('rules of a section that policyTypes leaves out are ignored', () => {
      const w = ws({
        workloads: { 'a/x': {}, 'a/y': {} },
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: x}}\npolicyTypes: [Egress]\ningress: [{}]\negress: [{ports: [{port: 53, protocol: UDP}]}]',
          ),
        ],
      });
      conn(w, 'a/y', 'a/x', 'All Connections');
      conn(w, 'a/x', 'a/y', 'UDP 53');
    });
    it('policies only select pods of their own namespace', () => {
      const w = ws({ workloads: { 'a/x': {}, 'b/x': {} }, policies: [pol('a', 'deny', 'podSelector: {}')] });
      conn(w, 'a/x', 'b/x', 'All Connections');
      conn(w, 'b/x', 'a/x', 'No Connections');
    });
  });

  describe('rules, peers and AND/OR (docs/semantics.md A.3, A.4, B.4)', () => {
    const base = {
      namespaces: { a: { team: 'one' }, b: { team: 'two' } },
      workloads: {
        'a/web': { labels: { app: 'web' } },
        'a/api': { labels: { app: 'api' } },
        'b/web': { labels: { app: 'web' } },
        'b/other': { labels: { app: 'other' } },
      },
    };
    it('`ingress: [{}]` allows everything, `[]` nothing', () => {
      conn(
        ws({ ...base, policies: [pol('a', 'p', 'podSelector: {matchLabels: {app: api}}\ningress: [{}]')] }),
        '1.2.3.4',
        'a/api',
        'All Connections',
      );
      conn(
        ws({ ...base, policies: [pol('a', 'p', 'podSelector: {matchLabels: {app: api}}\ningress: []')] }),
        'a/web',
        'a/api',
        'No Connections',
      );
    });
    it('`from: []` and omitted `from` mean every source, including external addresses', () => {
      const w = ws({
        ...base,
        policies: [pol('a', 'p', 'podSelector: {matchLabels: {app: api}}\ningress: [{from: [], ports: [{port: 80}]}]')],
      });
      conn(w, 'b/other', 'a/api', 'TCP 80');
      conn(w, '9.9.9.9', 'a/api', 'TCP 80');
    });
    it('a pod-only peer looks in the policy namespace; a namespace-only peer takes all pods there', () => {
      const w = ws({
        ...base,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: api}}\ningress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]',
          ),
        ],
      });
      conn(w, 'a/web', 'a/api', 'All Connections');
      conn(w, 'b/web', 'a/api', 'No Connections');
      const n = ws({
        ...base,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: api}}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: two}}}]}]',
          ),
        ],
      });
      conn(n, 'b/other', 'a/api', 'All Connections');
      conn(n, 'a/web', 'a/api', 'No Connections');
      conn(n, '9.9.9.9', 'a/api', 'No Connections');
    });
    it('one peer with both selectors is AND; two peers are OR', () => {
      const and = ws({
        ...base,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: api}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: two}}\n    podSelector: {matchLabels: {app: web}}',
          ),
        ],
      });
      conn(and, 'b/web', 'a/api', 'All Connections');
      conn(and, 'b/other', 'a/api', 'No Connections');
      conn(and, 'a/web', 'a/api', 'No Connections');
      const or = ws({
        ...base,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: api}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: two}}\n  - podSelector: {matchLabels: {app: web}}',
          ),
        ],
      });
      conn(or, 'b/other', 'a/api', 'All Connections');
      conn(or, 'a/web', 'a/api', 'All Connections');
    });
    it('a null namespaceSelector means the own namespace; {} means every namespace but no external addresses', () => {
      const nul = ws({
        ...base,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: api}}\ningress:\n- from:\n  - namespaceSelector:\n    podSelector: {matchLabels: {app: web}}',
          ),
        ],
      });
      conn(nul, 'a/web', 'a/api', 'All Connections');
      conn(nul, 'b/web', 'a/api', 'No Connections');
      const all = ws({
        ...base,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: api}}\ningress:\n- from:\n  - namespaceSelector: {}\n    podSelector: {matchLabels: {app: web}}',
          ),
        ],
      });
      conn(all, 'b/web', 'a/api', 'All Connections');
      conn(all, '10.0.0.1', 'a/api', 'No Connections');
    });
    it('namespaces are selected by kubernetes.io/metadata.name, also when undeclared', () => {
      const w = ws({
        workloads: { 'a/api': { labels: { app: 'api' } }, 'c/x': {} },
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}}]}]',
          ),
        ],
      });
      conn(w, 'c/x', 'a/api', 'All Connections');
    });
    it('selector operators: In, NotIn (matches unlabelled), Exists (empty value too), DoesNotExist', () => {
      const wl = {
        'a/t': { labels: { app: 't' } },
        'a/p': { labels: { env: 'prod' } },
        'a/d': { labels: { env: 'dev' } },
        'a/e': { labels: { env: '' } },
        'a/n': { labels: { other: 'x' } },
      };
      const test = (expr: string, allowed: string[]): void => {
        const w = ws({
          workloads: wl,
          policies: [
            pol(
              'a',
              'p',
              `podSelector: {matchLabels: {app: t}}\ningress: [{from: [{podSelector: {matchExpressions: [${expr}]}}]}]`,
            ),
          ],
        });
        for (const src of ['a/p', 'a/d', 'a/e', 'a/n']) {
          conn(w, src, 'a/t', allowed.includes(src) ? 'All Connections' : 'No Connections');
        }
      };
      test('{key: env, operator: In, values: [prod, dev]}', ['a/p', 'a/d']);
      test('{key: env, operator: NotIn, values: [prod]}', ['a/d', 'a/e', 'a/n']);
      test('{key: env, operator: Exists}', ['a/p', 'a/d', 'a/e']);
      test('{key: env, operator: DoesNotExist}', ['a/n']);
      const ml = ws({
        workloads: wl,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: t}}\ningress: [{from: [{podSelector: {matchLabels: {env: ""}}}]}]',
          ),
        ],
      });
      conn(ml, 'a/e', 'a/t', 'All Connections');
      conn(ml, 'a/n', 'a/t', 'No Connections');
    });
    it('policies add up: the union of every rule of every applicable policy', () => {
      const w = ws({
        ...base,
        policies: [
          pol('a', 'p1', 'podSelector: {matchLabels: {app: api}}\ningress: [{ports: [{port: 80}]}]'),
          pol(
            'a',
            'p2',
            'podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 443}]}]',
          ),
          pol('a', 'deny', 'podSelector: {}'),
        ],
      });
      conn(w, 'a/web', 'a/api', 'TCP 80,443');
      conn(w, 'b/web', 'a/api', 'TCP 80');
    });
  });

  describe('ports (docs/semantics.md A.6, B.5)', () => {
    const wl = {
      'a/c': {},
      'a/s': {
        ports: [
          ['http', 8080],
          ['dns', 53, 'UDP'],
          ['dnstcp', 53],
          ['metrics', 9100],
        ] as Array<[string, number, string?]>,
      },
      'a/s2': { labels: { app: 's' }, ports: [['http', 9090]] as Array<[string, number, string?]> },
    };
    const ing = (ports: string): World =>
      ws({
        workloads: wl,
        policies: [pol('a', 'p', `podSelector: {matchLabels: {app: s}}\ningress: [{ports: ${ports}}]`)],
      });
    it('the protocol defaults to TCP; `{}` is every TCP port', () => {
      conn(ing('[{port: 53}]'), 'a/c', 'a/s', 'TCP 53');
      conn(ing('[{}]'), 'a/c', 'a/s', 'TCP 1-65535');
      conn(ing('[{protocol: UDP}]'), 'a/c', 'a/s', 'UDP 1-65535');
      conn(ing('[]'), 'a/c', 'a/s', 'All Connections');
    });
    it('endPort makes an inclusive range', () => {
      conn(
        ing('[{port: 8000, endPort: 8100}, {port: 9000, endPort: 9000, protocol: SCTP}]'),
        'a/c',
        'a/s',
        'SCTP 9000,TCP 8000-8100',
      );
    });
    it('named ports resolve per destination workload and per protocol', () => {
      const w = ing('[{port: http}, {port: dns, protocol: UDP}, {port: dns}]');
      conn(w, 'a/c', 'a/s', 'TCP 8080,UDP 53');
      conn(w, 'a/c', 'a/s2', 'TCP 9090');
      conn(ing('[{port: nope}]'), 'a/c', 'a/s', 'No Connections');
    });
    it('egress named ports resolve on the destination; never on external addresses', () => {
      const w = ws({
        workloads: wl,
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: c}}\npolicyTypes: [Egress]\negress: [{ports: [{port: http}, {port: 443}]}]',
          ),
        ],
      });
      conn(w, 'a/c', 'a/s', 'TCP 443,8080');
      conn(w, 'a/c', 'a/s2', 'TCP 443,9090');
      conn(w, 'a/c', '1.1.1.1', 'TCP 443');
    });
  });

  describe('ipBlock (docs/semantics.md A.5, B.4)', () => {
    it('allows the cidr minus except, for IPv4 and IPv6, and never matches workloads', () => {
      const w = ws({
        workloads: { 'a/x': {}, 'a/y': {} },
        policies: [
          pol(
            'a',
            'p',
            'podSelector: {matchLabels: {app: x}}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n  - ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}\n  ports: [{port: 22}]',
          ),
        ],
      });
      conn(w, '10.2.3.4', 'a/x', 'TCP 22');
      conn(w, '10.1.2.3', 'a/x', 'No Connections');
      conn(w, '11.0.0.1', 'a/x', 'No Connections');
      conn(w, '2001:db8:2::1', 'a/x', 'TCP 22');
      conn(w, '2001:db8:1::1', 'a/x', 'No Connections');
      conn(w, 'a/y', 'a/x', 'No Connections');
    });
    it('uses the masked network of a CIDR with host bits', () => {
      const w = ws({
        workloads: { 'a/x': {} },
        policies: [
          pol('a', 'p', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 192.168.1.77/24}}]}]'),
        ],
      });
      conn(w, 'a/x', '192.168.1.1', 'All Connections');
      conn(w, 'a/x', '192.168.2.1', 'No Connections');
    });
  });

  describe('both ends must allow; replies are implicit (docs/semantics.md B.6, B.7)', () => {
    it('a connection needs the source egress and the destination ingress', () => {
      const w = ws({
        workloads: { 'a/c': {}, 'a/s': {} },
        policies: [
          pol(
            'a',
            'in',
            'podSelector: {matchLabels: {app: s}}\ningress: [{from: [{podSelector: {matchLabels: {app: c}}}], ports: [{port: 80}, {port: 81}]}]',
          ),
          pol(
            'a',
            'out',
            'podSelector: {matchLabels: {app: c}}\npolicyTypes: [Egress]\negress: [{ports: [{port: 81}, {port: 82}]}]',
          ),
        ],
      });
      conn(w, 'a/c', 'a/s', 'TCP 81');
    });
    it('an egress-isolated pod still accepts inbound connections (replies are not egress)', () => {
      const w = ws({
        workloads: { 'a/c': {}, 'a/s': {} },
        policies: [pol('a', 'out', 'podSelector: {matchLabels: {app: s}}\npolicyTypes: [Egress]')],
      });
      conn(w, 'a/c', 'a/s', 'All Connections');
      conn(w, 'a/s', 'a/c', 'No Connections');
    });
  });

  describe('invalid policies take no part (docs/semantics.md A.9, A.10)', () => {
    for (const [what, spec] of [
      ['a quoted port number', 'podSelector: {}\ningress: [{ports: [{port: "80"}]}]'],
      ['a port out of range', 'podSelector: {}\ningress: [{ports: [{port: 0}]}]'],
      ['endPort below port', 'podSelector: {}\ningress: [{ports: [{port: 90, endPort: 80}]}]'],
      ['a lower-case protocol', 'podSelector: {}\ningress: [{ports: [{port: 80, protocol: tcp}]}]'],
      ['an empty peer', 'podSelector: {}\ningress: [{from: [{}]}]'],
      [
        'ipBlock with a selector',
        'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]',
      ],
      [
        'an except outside the cidr',
        'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]}]',
      ],
      ['a bare IP', 'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.1}}]}]'],
      ['a wrong operator case', 'podSelector: {matchExpressions: [{key: a, operator: in, values: [b]}]}'],
      ['an unquoted boolean label value', 'podSelector: {matchLabels: {enabled: true}}'],
      ['three policyTypes', 'podSelector: {}\npolicyTypes: [Ingress, Egress, Ingress]'],
    ]) {
      it(`ignores a policy with ${what}`, () => {
        const w = ws({ workloads: { 'a/x': {}, 'a/y': {} }, policies: [pol('a', 'bad', spec)] });
        assert.equal(w.activePolicies.length, 0, what);
        conn(w, 'a/y', 'a/x', 'All Connections');
      });
    }
    it('keeps a policy with an unknown field or a duplicate key (a lenient decoder drops them)', () => {
      const w = ws({
        workloads: { 'a/x': {}, 'a/y': {} },
        policies: [pol('a', 'p', 'podSelector: {}\nfoo: bar\ningress: []')],
      });
      assert.equal(w.activePolicies.length, 1);
      conn(w, 'a/y', 'a/x', 'No Connections');
    });
  });
});
