// The editor on admin-tier policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
// ClusterNetworkPolicy): hovers on tier, priority, action, subject, peers and protocols; completion
// of kinds, actions and the snippets; the CodeLens; the outline.

import { strict as assert } from 'node:assert';
import type { CompletionItem } from 'vscode-languageserver-types';
import { codeLenses } from '../../../server/src/features/codeLens';
import { completion } from '../../../server/src/features/completion';
import { hover } from '../../../server/src/features/hover';
import { documentSymbols } from '../../../server/src/features/symbols';
import { checkFile } from '../../../server/src/rules/registry';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import { files } from './fixture';
import { hoverText, workspace } from './support';

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';

const CNP = `apiVersion: ${V2}
kind: ClusterNetworkPolicy
metadata:
  name: guard-pay
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces:
      matchLabels:
        team: payments
  ingress:
    - name: accept-web
      action: Accept
      from:
        - pods:
            podSelector:
              matchLabels:
                app: web
      protocols:
        - tcp:
            destinationPort:
              number: 8443
        - destinationNamedPort: syslog
    - name: deny-rest
      action: Deny
      from:
        - namespaces: {}
  egress:
    - action: Pass
      to:
        - networks: [10.0.0.0/8]
`;

const ANP = (name: string, priority: number): string => `apiVersion: ${V1}
kind: AdminNetworkPolicy
metadata:
  name: ${name}
spec:
  priority: ${priority}
  subject:
    pods:
      namespaceSelector: {}
      podSelector:
        matchLabels:
          tier: back
  egress:
    - action: Allow
      to:
        - domainNames: ["*.example.com"]
`;

const BANP = `apiVersion: ${V1}
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  ingress:
    - action: Deny
      from:
        - namespaces: {}
`;

/** The hover text where `<|>` replaces `marker` (its first occurrence) in `text`. */
function hv(text: string, marker: string, extra: Record<string, string> = {}): string {
  assert.ok(text.includes(marker), marker);
  const ws = workspace(files({ 'p.yaml': text.replace(marker, `<|>${marker}`), ...extra }));
  return hoverText(hover(ws.ctx('p.yaml'), ws.pos));
}

function has(text: string, ...parts: string[]): void {
  for (const p of parts) assert.ok(text.includes(p), `expected ${JSON.stringify(p)} in:\n${text}`);
}

describe('features/hover: admin-tier policies', () => {
  const others = { 'anp.yaml': [ANP('first', 5), ANP('twin', 10)].join('---\n'), 'banp.yaml': BANP };

  it('kind and name: the policy in one line, the workloads it applies to, its place in the tier', () => {
    for (const marker of ['ClusterNetworkPolicy', 'guard-pay']) {
      has(
        hv(CNP, marker, others),
        '**ClusterNetworkPolicy** `guard-pay`: Admin tier · priority 10 · 2 ingress, 1 egress rules.',
        'Applies to 1 workload of the workspace: pay/ledger.',
        'In this workspace: 2 of 3 in the Admin tier',
      );
    }
    has(
      hv(BANP, 'default', others),
      '**BaselineAdminNetworkPolicy** `default`: Baseline tier · 1 ingress rule.',
      'The only Baseline-tier policy',
    );
  });

  it('tier: what the Admin tier does, then the field documentation', () => {
    const t = hv(CNP, 'tier: Admin');
    has(
      t,
      '**Admin tier**: evaluated before every NetworkPolicy',
      'Pass hands the connection down',
      '**tier** (string, required)',
    );
  });

  it('priority: lower first, the neighbours in the tier, and a same-priority warning', () => {
    const t = hv(CNP, 'priority: 10', others);
    has(
      t,
      '**Priority 10** in the Admin tier: lower numbers are evaluated first (0-1000)',
      'In this workspace: 2 of 3 in the Admin tier, after `first` (5)',
      '⚠ Same priority as `twin`',
      'the result is undefined',
    );
  });

  it('action: what a match does in its tier, and the position of the rule', () => {
    has(
      hv(CNP, 'action: Deny'),
      '**Deny** (ingress rule 2 `deny-rest` of 2): traffic it matches is denied: no NetworkPolicy or Baseline rule is consulted',
      'this one only decides what rule 1 did not match',
    );
    has(
      hv(CNP, 'action: Pass'),
      '**Pass** (egress rule 1 of 1)',
      'the rest of the Admin tier is skipped: the NetworkPolicies decide',
    );
    has(hv(BANP, 'action: Deny'), 'denied, where no NetworkPolicy isolates the pod for this direction');
  });

  it('subject, peers and protocols in words', () => {
    has(hv(CNP, 'subject:'), '**Subject**: every pod of namespaces with team=payments', 'no implicit deny');
    has(hv(ANP('a', 1), 'subject:'), 'pods with tier=back in every namespace');
    has(
      hv(CNP, 'from:'),
      '**from** of ingress rule 1 `accept-web` (Accept, TCP 8443, named port syslog)',
      '- pods with app=web in every namespace (no namespaceSelector: unlike a NetworkPolicy peer, every namespace)',
    );
    has(
      hv(CNP, 'networks:'),
      '**Peer 1** of egress rule 1: addresses in 10.0.0.0/8 (outside the cluster; never pods in the analysis)',
    );
    has(hv(ANP('a', 1), 'domainNames'), 'domain names *.example.com (not analysed: resolved at run time)');
    has(
      hv(CNP, 'destinationNamedPort'),
      '**named port syslog** (entry 2 of ingress rule 1 `accept-web`)',
      'with the protocol of their container port',
    );
  });
});

describe('features/completion: admin-tier kinds', () => {
  function labelsAt(text: string): string[] {
    const ws = workspace(files({ 'p.yaml': text }));
    return completion(ws.ctx('p.yaml'), ws.pos).items.map((i: CompletionItem) => i.label);
  }

  it('offers the kinds that the apiVersion serves, and the actions of the version', () => {
    assert.deepEqual(labelsAt(`apiVersion: ${V1}\nkind: <|>\n`), ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);
    assert.deepEqual(labelsAt(`apiVersion: ${V2}\nkind: <|>\n`), ['ClusterNetworkPolicy']);
    assert.deepEqual(labelsAt(CNP.replace('action: Deny', 'action: <|>')), ['Accept', 'Deny', 'Pass']);
    assert.deepEqual(labelsAt(BANP.replace('action: Deny', 'action: <|>')), ['Allow', 'Deny']);
    assert.deepEqual(labelsAt(CNP.replace('tier: Admin', 'tier: <|>')), ['Admin', 'Baseline']);
  });

  it('answers at the top of a broken cluster-scoped document whose metadata runs on without a namespace', () => {
    // the guess of the snippets' namespace once backtracked exponentially over such lines (a hang)
    const body = Array.from({ length: 40 }, (_, i) => `${' '.repeat(8)}k${i}: v`).join('\n');
    const text = `<|>\nmetadata:\n  name: guard\n  subject:\n${body}\n`;
    assert.ok(labelsAt(text).includes('ClusterNetworkPolicy: Admin tier'));
  });

  it('offers an ANP, a BANP and Admin and Baseline ClusterNetworkPolicy snippets that are valid policies', () => {
    const ws = workspace(files({ 'p.yaml': '<|>' }));
    const items = completion(ws.ctx('p.yaml'), ws.pos).items;
    const admin = items.filter((i) => /^(Admin|BaselineAdmin|Cluster)NetworkPolicy:/.test(i.label));
    assert.deepEqual(
      admin.map((i) => i.label),
      [
        'AdminNetworkPolicy: deny from a namespace',
        'BaselineAdminNetworkPolicy: default-deny ingress',
        'ClusterNetworkPolicy: Admin tier',
        'ClusterNetworkPolicy: Baseline tier',
      ],
    );
    for (const it of admin) {
      const text = (it.textEdit as { newText: string }).newText
        .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
        .replace(/\$\{\d+:([^}]*)\}/g, '$1');
      assert.ok(!text.includes('namespace:'), `${it.label}: cluster-scoped, no namespace:\n${text}`);
      const w = workspace(files({ 's.yaml': text }));
      const found = checkFile(
        w.files.find((f) => f.uri.endsWith('s.yaml'))!,
        w.world,
        DEFAULT_SETTINGS,
      );
      assert.deepEqual(
        found.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.message}`),
        [],
        `${it.label}:\n${text}`,
      );
    }
  });
});

describe('features/codeLens and symbols: admin-tier policies', () => {
  it('a lens with the workloads the subject selects and one with tier, priority and rules', () => {
    const ws = workspace(files({ 'p.yaml': [CNP, BANP, ANP('bad', 2000)].join('---\n') }));
    const lenses = codeLenses(ws.ctx('p.yaml'));
    assert.deepEqual(
      lenses.map((l) => l.command!.title),
      [
        'applies to 1 workload',
        'Admin tier · priority 10 · 2 ingress, 1 egress rules',
        `applies to ${ws.world.workloads.length} workloads`,
        'Baseline tier · 1 ingress rule',
        'applies to 2 workloads',
        'Admin tier · priority 2000 · 1 egress rule · invalid: not applied',
      ],
    );
    assert.deepEqual(lenses[1].command!.arguments, [{ namespace: 'pay' }]);
    assert.equal(lenses[0].command!.arguments![1][0].label, 'pay/ledger (Deployment)');
  });

  it('the outline: the policy with tier, priority, subject, rules, peers and protocols', () => {
    const ws = workspace(files({ 'p.yaml': CNP }));
    const [s] = documentSymbols(ws.ctx('p.yaml'));
    assert.equal(s.name, 'guard-pay');
    assert.equal(s.detail, 'ClusterNetworkPolicy · Admin tier · priority 10 · 2 ingress, 1 egress rules');
    assert.deepEqual(
      s.children!.map((c) => `${c.name}: ${c.detail}`),
      [
        'tier: Admin',
        'priority: 10',
        'subject: every pod of namespaces with team=payments',
        'ingress: 2 rules',
        'egress: 1 rule',
      ],
    );
    const ingress = s.children![3].children!;
    assert.deepEqual(
      ingress.map((r) => `${r.name}: ${r.detail}`),
      [
        'rule 1 accept-web: Accept · from 1 peer · TCP 8443, named port syslog',
        'rule 2 deny-rest: Deny · from 1 peer · every port',
      ],
    );
    assert.deepEqual(
      ingress[0].children!.map((c) => `${c.name}: ${c.detail}`),
      [
        'from 1: pods with app=web in every namespace (no namespaceSelector: unlike a NetworkPolicy peer, every namespace)',
        'protocols: TCP 8443, named port syslog',
      ],
    );
  });
});
