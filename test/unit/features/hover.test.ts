import { strict as assert } from 'node:assert';
import { hover } from '../../../server/src/features/hover';
import { files, policy } from './fixture';
import { hoverText, workspace } from './support';

/** The hover text at the marker of `p.yaml` (added to the fixture workspace). */
function hv(text: string, extra: Record<string, string> = {}): string {
  const ws = workspace(files({ 'p.yaml': text, ...extra }));
  return hoverText(hover(ws.ctx(ws.at), ws.pos));
}

function hvAt(name: string, extra: Record<string, string>): string {
  const ws = workspace(files(extra));
  assert.equal(ws.at, name);
  return hoverText(hover(ws.ctx(name), ws.pos));
}

function has(text: string, ...parts: string[]): void {
  for (const p of parts) assert.ok(text.includes(p), `expected ${JSON.stringify(p)} in:\n${text}`);
}

function hasNot(text: string, ...parts: string[]): void {
  for (const p of parts) assert.ok(!text.includes(p), `did not expect ${JSON.stringify(p)} in:\n${text}`);
}

describe('features/hover: policyTypes', () => {
  it('explains defaulting to Ingress, Egress because egress rules are present (on kind:)', () => {
    const t = hv(
      policy('p', '  podSelector: {}\n  egress:\n    - to:\n        - podSelector: {}\n').replace(
        'kind: Network',
        'kind: <|>Network',
      ),
    );
    has(
      t,
      'Effective policyTypes: Ingress, Egress',
      'defaulted to Ingress, Egress because egress rules are present',
      'incoming connections to the selected pods are restricted',
      'there are no ingress rules, so every incoming connection is denied',
      'Replies to allowed connections are always allowed: they are neither ingress nor egress',
      'NPP03',
    );
  });

  it('explains Ingress only: outgoing connections stay open', () => {
    const t = hv(policy('p', '  podSelector: {}\n  <|>policyTypes:\n    - Ingress\n  ingress:\n    - {}\n'));
    has(
      t,
      'Ingress, as written in `policyTypes`',
      'Egress is not listed: outgoing connections stay open',
      'restricted to what the ingress rules allow (1 rule)',
    );
    hasNot(t, 'every incoming connection is denied');
  });

  it('names the ignored rule section', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  policyTypes:\n    - <|>Ingress\n  egress:\n    - to:\n        - podSelector: {}\n',
      ),
    );
    has(
      t,
      'the `egress` section (1 rule) is ignored: Egress is not in policyTypes',
      '[NPP04](file:///docs/rules/NPP04.md)',
    );
  });

  it('hovers the spec line when policyTypes is absent, and notes that `egress: []` does not isolate egress', () => {
    const t = hv(policy('p', '  podSelector: {}\n  egress: []\n').replace('spec:', '<|>spec:'));
    has(
      t,
      'defaulted to Ingress only (there are no egress rules)',
      '`egress: []` is empty, so it does not add Egress',
      'NPP05',
    );
  });

  it('says that node and self traffic stay allowed under a deny-all', () => {
    const t = hv(policy('p', '  podSelector: {}\n  policyTypes: [Ingress, <|>Egress]\n'));
    has(t, 'every outgoing connection is denied, DNS lookups included', 'its own node (kubelet probes)');
  });
});

describe('features/hover: podSelector', () => {
  it('`{}` selects every pod of the namespace, listed with kind and file links', () => {
    const t = hv(policy('p', '  <|>podSelector: {}\n  policyTypes: [Ingress]\n'));
    has(
      t,
      'every pod in namespace `shop`',
      'Selects 5 workloads',
      '[shop/web](file:///ws/workloads.yaml#L4) Deployment · workloads.yaml',
      '[shop/db](file:///ws/workloads.yaml#L',
      'StatefulSet',
      'shop/cleanup',
      'CronJob',
      'isolates ingress (only by this policy)',
    );
    hasNot(t, 'ledger', 'coredns');
  });

  it('a label selector in words and which workloads become isolated for which direction', () => {
    const other = policy('other', '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n');
    const t = hv(
      policy('p', '  podSelector:\n    matchLabels:\n      app: <|>web\n  policyTypes: [Ingress, Egress]\n'),
      { 'o.yaml': other },
    );
    has(
      t,
      'pods with app=web in namespace `shop`',
      'Selects 1 workload',
      'isolates ingress (also by 1 other policy), egress (only by this policy)',
    );
  });

  it('warns about hostNetwork workloads and about selecting nothing', () => {
    has(hv(policy('p', '  podSelector:\n    matchLabels:\n      app: <|>agent\n')), 'hostNetwork', 'NPP39');
    has(
      hv(policy('p', '  podSelector:\n    matchLabels:\n      app: <|>nothing\n')),
      'Selects no workload in the workspace',
      'NPP37',
    );
  });

  it('says when the policy is invalid', () => {
    const t = hv(policy('p', '  <|>podSelector: {}\n  policyTypes: [ingress]\n'));
    has(t, 'This policy is invalid', 'isolates nothing');
  });
});

describe('features/hover: rules and peers', () => {
  it('an empty rule allows everything', () => {
    const t = hv(policy('p', '  podSelector: {}\n  ingress:\n    <|>- {}\n'));
    has(
      t,
      'Ingress rule 1 of 1',
      'from any source, including addresses outside the cluster',
      'on every port of every protocol',
      'NPP06',
    );
  });

  it('a rule lists its peers, ports and matched workloads', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  egress:\n    - <|>to:\n        - podSelector:\n            matchLabels:\n              tier: back\n      ports:\n        - port: 5432\n',
      ),
    );
    has(
      t,
      'Egress rule 1 of 1',
      'to 1 peer on TCP 5432',
      'match a peer **and** a port entry',
      'Peers match 2 workloads',
      'shop/api',
      'shop/db',
    );
  });

  it('`from: []` means any', () => {
    has(
      hv(policy('p', '  podSelector: {}\n  ingress:\n    - <|>from: []\n')),
      'from any source',
      '`from: []` means any, not none',
      'NPP07',
    );
  });

  it("a pod-only peer looks in the policy's own namespace", () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - <|>podSelector:\n            matchLabels:\n              tier: back\n',
      ),
    );
    has(
      t,
      'Peer 1 of 1',
      'pods with tier=back in namespace `shop`',
      "only looks in the policy's own namespace `shop`",
      'Matches 2 workloads',
    );
  });

  it('a null namespaceSelector is the same as absent', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - <|>namespaceSelector:\n          podSelector: {}\n',
      ),
    );
    has(
      t,
      '`namespaceSelector:` with no value is null, the same as absent',
      'write `namespaceSelector: {}` for every namespace',
    );
  });

  it('namespaceSelector {} is every pod of the cluster, not external addresses', () => {
    const t = hv(policy('p', '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector: <|>{}\n'));
    has(
      t,
      'every pod in every namespace',
      'not nodes or addresses outside the cluster',
      'Matches 7 workloads',
      'kube-system/coredns',
    );
  });

  it('AND: both selectors in one peer, with the namespaces it matches', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: payments\n          podSelector:\n            matchLabels:\n              app: <|>ledger\n',
      ),
    );
    has(
      t,
      'pods with app=ledger in namespaces with team=payments',
      'a pod must match both (AND)',
      'Namespaces: [pay](file:///ws/ns.yaml#L12)',
      'Matches 1 workload',
      'pay/ledger',
    );
  });

  it('OR: a namespace-only peer next to a pod-only peer is flagged', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - <|>namespaceSelector:\n            matchLabels:\n              team: payments\n        - podSelector:\n            matchLabels:\n              app: ledger\n',
      ),
    );
    has(
      t,
      'Peer 1 of 2',
      'every pod in namespaces with team=payments',
      'alternatives (OR)',
      'did you mean one peer with both selectors',
      'NPP01',
    );
  });

  it('a namespace selected by a `name` label it does not have', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              name: <|>pay\n',
      ),
    );
    has(t, 'none in the workspace matches', 'NPP24', 'select a namespace by name with `kubernetes.io/metadata.name`');
  });

  it('a pod-only peer whose pods live in another namespace', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: <|>ledger\n',
      ),
    );
    has(t, 'Matches 0 workloads', 'exist only in other namespaces (`pay`)', 'NPP25');
  });

  it('NotIn also matches objects without the label', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - podSelector:\n            matchExpressions:\n              - key: tier\n                operator: <|>NotIn\n                values: [back]\n',
      ),
    );
    has(t, 'tier not in (back) (also matches objects without a tier label)', 'NPP27', 'shop/web', 'shop/cleanup');
    hasNot(t, 'shop/api');
  });
});

describe('features/hover: ports', () => {
  it('protocol defaulted to TCP, and a named port resolved per selected workload (ingress)', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector:\n    matchLabels:\n      tier: back\n  ingress:\n    - ports:\n        - port: <|>http\n',
      ),
    );
    has(
      t,
      'named port `http` (TCP)',
      'protocol defaulted to TCP (`protocol` is not written)',
      'looked up on each pod this policy selects',
      'TCP 8081 on [shop/api]',
      'resolves nowhere on [shop/db]',
    );
  });

  it('a named port on egress resolves on the destination workloads', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  egress:\n    - to:\n        - namespaceSelector: {}\n      ports:\n        - port: <|>http\n',
      ),
    );
    has(
      t,
      "destination pod the rule's peers match",
      'TCP 8080 on [shop/web]',
      'TCP 8081 on [shop/api]',
      'TCP 8443 on [pay/ledger]',
    );
  });

  it('a named port that resolves nowhere allows nothing; with another protocol it is named', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  egress:\n    - to:\n        - namespaceSelector: {}\n      ports:\n        - port: <|>syslog\n',
      ),
    );
    has(
      t,
      '`syslog` resolves nowhere',
      'this entry allows nothing',
      'NPP12',
      '`syslog` exists with another protocol on `pay/ledger`',
    );
  });

  it('a named port towards ipBlocks only never matches', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n      ports:\n        - port: <|>http\n',
      ),
    );
    has(t, 'external addresses have no container ports', 'NPP13');
  });

  it('ranges, absent ports, UDP-ish ports, SCTP and bad protocols', () => {
    has(
      hv(
        policy('p', '  podSelector: {}\n  ingress:\n    - ports:\n        - port: <|>8000\n          endPort: 8080\n'),
      ),
      'TCP 8000-8080',
      'Range 8000 to 8080, both included (81 ports)',
      'plugins without it enforce only `port`',
    );
    has(
      hv(policy('p', '  podSelector: {}\n  ingress:\n    - ports:\n        - <|>protocol: UDP\n')),
      'every UDP port',
      'not all protocols',
      'NPP08',
    );
    has(
      hv(policy('p', '  podSelector: {}\n  egress:\n    - ports:\n        - port: <|>53\n')),
      'TCP 53',
      'usually UDP',
      'NPP09',
    );
    has(
      hv(policy('p', '  podSelector: {}\n  ingress:\n    - ports:\n        - protocol: <|>SCTP\n          port: 9\n')),
      'SCTP 9',
      'SCTP needs support from the network plugin',
    );
    has(
      hv(policy('p', '  podSelector: {}\n  ingress:\n    - ports:\n        - protocol: <|>tcp\n          port: 9\n')),
      '`tcp` is not a protocol',
      'case-sensitive',
      'ICMP',
    );
  });

  it('the ports list: OR, and destination ports', () => {
    has(
      hv(policy('p', '  podSelector: {}\n  ingress:\n    - <|>ports:\n        - port: 80\n        - port: 443\n')),
      '2 entries, any of them (OR): TCP 80, TCP 443',
      'destination ports',
    );
  });
});

describe('features/hover: ipBlock', () => {
  it('the range in plain numbers, what except removes, what remains, and the caveats (ingress)', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: <|>10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n',
      ),
    );
    has(
      t,
      '10.0.0.0 – 10.255.255.255 (16,777,216 addresses)',
      'except `10.1.0.0/16` removes 10.1.0.0 – 10.1.255.255 (65,536 addresses)',
      'Remaining: 16,711,680 addresses in 2 ranges: 10.0.0.0 – 10.0.255.255, 10.2.0.0 – 10.255.255.255',
      'pod IPs change',
      'SNAT',
      'externalTrafficPolicy: Local',
    );
  });

  it('egress caveat, host bits, IPv6 and invalid CIDRs', () => {
    const eg = hv(
      policy('p', '  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: <|>10.0.0.1/24\n'),
    );
    has(
      eg,
      '10.0.0.0 – 10.0.0.255 (256 addresses)',
      'bits are set beyond the prefix length',
      'NPP19',
      'Service ClusterIP',
    );
    hasNot(eg, 'SNAT');
    has(
      hv(
        policy(
          'p',
          '  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: <|>2001:db8::/64\n',
        ),
      ),
      '2001:db8:: – 2001:db8::ffff:ffff:ffff:ffff (2^64 addresses)',
    );
    has(
      hv(policy('p', '  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: <|>10.1.2.3\n')),
      'a bare address needs a prefix length',
      '`10.1.2.3/32`',
      'NPV16',
    );
    has(
      hv(policy('p', '  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: <|>0.0.0.0/0\n')),
      'covers IPv4 only',
    );
  });

  it('an except outside the cidr is flagged', () => {
    has(
      hv(
        policy(
          'p',
          '  podSelector: {}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/16\n            except: [<|>192.168.0.0/24]\n',
        ),
      ),
      'an except must lie strictly inside `cidr`',
      'NPV19',
    );
  });
});

describe('features/hover: namespaces', () => {
  it("metadata.namespace: where the policy applies, with the namespace's labels", () => {
    const t = hv(policy('p', '  podSelector: {}\n').replace('namespace: shop', 'namespace: <|>shop'));
    has(
      t,
      '**Namespace `shop`**: this policy applies there only',
      'pod-only peers',
      'team=storefront',
      'declared in [shop](file:///ws/ns.yaml#L4)',
      '5 workloads and 1 policy in this namespace',
    );
  });

  it('without metadata.namespace: wherever it is applied, analysed in the default namespace', () => {
    const t = hv(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  <|>name: p\nspec:\n  podSelector: {}\n',
    );
    has(
      t,
      'No `metadata.namespace`',
      'whatever namespace it is applied to',
      'Analysed in `default`',
      'NPP34',
      'selects 0 workloads',
    );
  });

  it('Namespace labels: the peers whose namespaceSelector matches and the policies in it', () => {
    const p = policy(
      'from-pay',
      '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: payments\n',
    );
    const t = hvAt('ns2.yaml', {
      'p.yaml': p,
      'ns2.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n  labels:\n    team: <|>payments\n',
    });
    has(
      t,
      '**Namespace `billing`**',
      'kubernetes.io/metadata.name=billing',
      'added automatically',
      'Matched by the `namespaceSelector` of 1 peer',
      'shop/from-pay',
      'ingress rule 1, `from` peer 1',
      '0 workloads; 0 policies',
    );
  });
});

describe('features/hover: workload labels', () => {
  const wl = (
    label: string,
    kind = 'Deployment',
    path = 'spec:\n  template:\n    metadata:\n      labels:\n        ',
  ): string => `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: extra\n  namespace: shop\n${path}${label}\n`;

  it('which policies select it and which peers match it', () => {
    const p1 = policy('sel', '  podSelector:\n    matchLabels:\n      app: extra\n  policyTypes: [Ingress]\n');
    const p2 = policy(
      'peer',
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: extra\n',
    );
    const t = hvAt('w.yaml', { 'p1.yaml': p1, 'p2.yaml': p2, 'w.yaml': wl('app: <|>extra') });
    has(
      t,
      '**Deployment `shop/extra`** pod labels: `app=extra`',
      'hovering `app=extra`',
      'Selected by 2 policies (ingress isolated by 1, egress isolated by 1)',
      '[shop/sel](file:///ws/p1.yaml#L4) — ingress',
      '[shop/peer](file:///ws/p2.yaml#L4) — egress',
      'Matched by 1 peer',
      'egress rule 1, `to` peer 1',
    );
  });

  it('a workload nothing selects is open', () => {
    has(
      hvAt('w.yaml', { 'w.yaml': wl('app: <|>lonely') }),
      'No policy selects it: it is not isolated',
      'No peer of any policy matches it',
    );
  });

  it("CronJob pod labels, and a note on a controller's own labels", () => {
    const cron = wl(
      'app: <|>x',
      'CronJob',
      'spec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            ',
    );
    has(hvAt('w.yaml', { 'w.yaml': cron }), '**CronJob `shop/extra`**');
    const own = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\n  labels:\n    app: <|>x\n';
    has(hvAt('w.yaml', { 'w.yaml': own }), "Deployment's own labels", 'spec.template.metadata.labels');
  });
});

describe('features/hover: field documentation from the schema', () => {
  const meta = (lines: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\n${lines}spec:\n  podSelector: {}\n`;

  it('documents a key that nothing else explains', () => {
    const t = hv(meta('  <|>labels:\n    team: a\n'));
    assert.equal(t, '**labels** (map of strings): Labels of the policy object (no effect on traffic).');
    has(hv(meta('  <|>generateName: p-\n')), '**generateName** (string)', '`kubectl apply` needs `name`');
    has(hv(meta('  <|>uid: x\n')), 'Set by the API server');
  });

  it('the explanations of the policy come first, and the apiVersion line has none', () => {
    const t = hv(policy('p', '  <|>podSelector: {}\n'));
    has(t, '**podSelector**: every pod in namespace');
    hasNot(t, '(label selector)');
    assert.equal(hv(policy('p', '  podSelector: {}\n').replace('apiVersion', 'api<|>Version')), '');
    assert.equal(hv(meta('  labels:\n    <|>team: a\n')), '', 'a label is not a field');
    assert.equal(hv(meta('  <|>nonsense: a\n')), '', 'an unknown field has no documentation');
  });
});

describe('features/hover: broken documents', () => {
  const broken = [
    policy('p', '  podSelector: {}\n  pol<|>\n  ingress:\n    - from: []\n'),
    policy('p', '  podSelector:\n\tmatchLabels: {}\n  ingress:\n    - <|>from: []\n'),
    policy('p', '  podSelector: {matchLabels: {app: <|>\n'),
    policy('p', '  ingress:\n    - from:\n        - ipBlock:\n            cidr: <|>\n'),
    policy('p', '  ingress:\n    - from:\n        - <|>\n'),
    'kind: NetworkPolicy\nspec: [<|>\n',
    '<|>{{ .Values.x }}\n',
    '\u0000\u0001<|>',
  ];
  for (const [i, text] of broken.entries()) {
    it(`answers without throwing (case ${i + 1})`, () => {
      const t = hv(text);
      assert.equal(typeof t, 'string');
    });
  }

  it('still explains what it can read in a broken document', () => {
    const t = hv(
      policy(
        'p',
        '  podSelector: {}\n  policyTypes: [<|>Egress]\n  egress:\n    - to:\n        - podSelector: {matchLabels: {app: \n',
      ),
    );
    has(t, 'Effective policyTypes: Egress');
  });
});

describe('features/hover: connectivity expectations', () => {
  const head = 'apiVersion: netpol-lens.dev/v1\nkind: ConnectivityExpectations\nmetadata:\n  name: c\nexpectations:\n';
  const dbPolicy = (from: string): string =>
    policy(
      'db',
      `  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: ${from}\n`,
    );
  const at = (body: string, from: string): string => {
    const ws = workspace(files({ 'e.yaml': head + body, 'p.yaml': dbPolicy(from) }));
    return hoverText(hover(ws.ctx('e.yaml'), ws.pos));
  };

  it('says whether an entry is met and what each end allows, with the isolating policies', () => {
    const no = at('  - from: shop/web\n    to: shop/d<|>b\n    port: 5432\n    allowed: true\n', 'api');
    assert.match(
      no,
      /^\*\*Expectation 1\*\*: `shop\/web` → `shop\/db` to be allowed on TCP 5432: \*\*not met\*\* \(\[NPX07\]\(file:\/\/\/docs\/rules\/NPX07\.md\)\); nothing is allowed\./,
    );
    assert.match(no, /Egress from `shop\/web` \(to `shop\/db`\): not isolated/);
    assert.match(
      no,
      /Ingress to `shop\/db` \(from `shop\/web`\): allows nothing; isolated by \[shop\/db\]\(file:\/\/\/ws\/p\.yaml#L4\)/,
    );
    const yes = at('  - from: shop/web\n    to: shop/db\n    port: 5432\n    allo<|>wed: true\n', 'web');
    assert.match(yes, /: \*\*met\*\*; every port is allowed\./);
    assert.match(
      at('  - from: shop/nope\n    to: shop/d<|>b\n    allowed: true\n', 'web'),
      /cannot be checked: from: no workload shop\/nope/,
    );
  });
});
