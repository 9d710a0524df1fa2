// Quick fixes of the admin-tier rules, end to end: YAML -> diagnostics (checkFile) -> quickFixes ->
// the exact expected text -> diagnostics again (the finding is gone, no new error). The conversion
// of a v1alpha1 policy to a ClusterNetworkPolicy (NPT07) is also applied to every v1alpha1 policy
// of test/fixtures/admin, and the result must pass the v1alpha2 validation.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adminValidationErrors } from '../../server/src/analysis/adminValidity';
import { validateAdmin } from '../../server/src/analysis/validateAdmin';
import { quickFixes, type Fix } from '../../server/src/features/codeActions';
import type { Edit } from '../../server/src/features/yamlEdit';
import { parseFile } from '../../server/src/model/document';
import { get, type PMap } from '../../server/src/model/tree';
import { checkFile, type DocFinding } from '../../server/src/rules/registry';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { buildWorkspace } from '../support/workspace';

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const ed of [...edits].sort((a, b) => b.s - a.s)) out = out.slice(0, ed.s) + ed.text + out.slice(ed.e);
  return out;
}

function findings(text: string, others: Record<string, string>): DocFinding[] {
  const ws = buildWorkspace({ ...others, 'a.yaml': text });
  return checkFile(ws.file('a.yaml'), ws.world, DEFAULT_SETTINGS);
}

const show = (fs: readonly DocFinding[]): string =>
  fs.map((f) => `${f.rule} ${JSON.stringify(f.doc.text.slice(f.s, f.e))} ${f.message}`).join('\n');

/** The fixes of the one finding of `rule` (at `at`) in `text`. */
function fixesOf(text: string, rule: string, others: Record<string, string> = {}, at?: string): Fix[] {
  const hits = findings(text, others).filter(
    (f) => f.rule === rule && (at === undefined || f.doc.text.slice(f.s, f.e) === at),
  );
  assert.equal(hits.length, 1, `one ${rule}: ${show(findings(text, others))}`);
  const f = hits[0];
  return quickFixes(f.doc, { rule, s: f.s, e: f.e, data: f.data }, undefined, DEFAULT_SETTINGS);
}

/** Applies the first fix; checks the title, the replaced text, the result, and that no error is left or new. */
function check(
  text: string,
  rule: string,
  x: { title: string; replaced: readonly string[]; result: string; others?: Record<string, string>; at?: string },
): void {
  const fixes = fixesOf(text, rule, x.others, x.at);
  assert.ok(fixes.length > 0, `no fix for ${rule}`);
  const fix = fixes[0];
  assert.equal(fix.title, x.title);
  assert.deepEqual(
    fix.edits.map((e) => text.slice(e.s, e.e)),
    [...x.replaced],
    'replaced text',
  );
  const result = applyEdits(text, fix.edits);
  assert.equal(result, x.result);
  const after = findings(result, x.others ?? {});
  assert.deepEqual(show(after.filter((f) => f.severity === 'error' || f.rule === rule)), '', 'findings after the fix');
}

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';
const CNP = `apiVersion: ${V2}
kind: ClusterNetworkPolicy
metadata:
  name: platform
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {}}
`;

describe('quick fixes: admin-tier validation (NPA01, NPA03, NPA06, NPA11, NPA22, NPA25, NPA26)', () => {
  const cnpWith = (rule: string): string =>
    `apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata:\n  name: guard\nspec:\n  tier: Admin\n  priority: 10\n  subject: {namespaces: {}}\n  ingress:\n${rule}`;

  it('NPA11 replaces Allow with Accept in v1alpha2, keeping the comment', () => {
    const rule =
      '    - action: Allow  # from monitoring\n      from: [{namespaces: {matchLabels: {team: monitoring}}}]\n';
    check(cnpWith(rule), 'NPA11', {
      title: 'Replace with Accept',
      replaced: ['Allow'],
      result: cnpWith(rule.replace('Allow', 'Accept')),
    });
  });

  it('NPA11 replaces a quoted Accept with Allow in v1alpha1', () => {
    const text = `apiVersion: ${V1}\nkind: AdminNetworkPolicy\nmetadata: {name: guard}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n    - {action: "Accept", to: [{networks: [10.0.0.0/8]}]}\n`;
    check(text, 'NPA11', {
      title: 'Replace with Allow',
      replaced: ['Accept'],
      result: text.replace('"Accept"', '"Allow"'),
    });
  });

  it('NPA11: no fix for Pass in the BaselineAdminNetworkPolicy', () => {
    const text = `apiVersion: ${V1}\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  egress:\n    - {action: Pass, to: [{namespaces: {}}]}\n`;
    assert.deepEqual(fixesOf(text, 'NPA11'), []);
  });

  it('NPA06 fixes the case of the tier, NPA03 renames the baseline, NPA01 sets the apiVersion', () => {
    const cnp = cnpWith('    - {action: Deny, from: [{namespaces: {}}]}\n');
    check(cnp.replace('tier: Admin', 'tier: admin'), 'NPA06', {
      title: 'Change to Admin',
      replaced: ['admin'],
      result: cnp,
    });
    const banp = `apiVersion: ${V1}\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: baseline\nspec:\n  subject: {namespaces: {}}\n`;
    check(banp, 'NPA03', {
      title: 'Rename it to default',
      replaced: ['baseline'],
      result: banp.replace('name: baseline', 'name: default'),
    });
    const anp = `apiVersion: ${V2}\nkind: AdminNetworkPolicy\nmetadata:\n  name: guard\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n`;
    check(anp, 'NPA01', { title: `Change apiVersion to ${V1}`, replaced: [V2], result: anp.replace(V2, V1) });
  });

  it('NPA22 writes a range of one port as a number (block and flow)', () => {
    const block =
      '    - action: Deny\n      from: [{namespaces: {}}]\n      protocols:\n        - tcp:\n            destinationPort:\n              range:\n                start: 22\n                end: 22\n';
    check(cnpWith(block), 'NPA22', {
      title: 'Write the single port as number: 22',
      replaced: ['range:\n                start: 22\n                end: 22'],
      result: cnpWith(block.replace('range:\n                start: 22\n                end: 22', 'number: 22')),
    });
    const flow =
      '    - {action: Deny, from: [{namespaces: {}}], protocols: [{udp: {destinationPort: {range: {start: 53, end: 53}}}}]}\n';
    check(cnpWith(flow), 'NPA22', {
      title: 'Write the single port as number: 53',
      replaced: ['range: {start: 53, end: 53}'],
      result: cnpWith(flow.replace('range: {start: 53, end: 53}', 'number: 53')),
    });
  });

  it('NPA26 unquotes a quoted priority, NPA25 fixes the case of an operator', () => {
    const cnp = cnpWith('    - {action: Deny, from: [{namespaces: {}}]}\n');
    check(cnp.replace('priority: 10', 'priority: "10"'), 'NPA26', {
      title: 'Remove the quotes: 10 is a number',
      replaced: ['"10"'],
      result: cnp,
    });
    const sel = cnpWith(
      '    - {action: Deny, from: [{namespaces: {matchExpressions: [{key: env, operator: In, values: [dev]}]}}]}\n',
    );
    check(sel.replace('operator: In', 'operator: in'), 'NPA25', {
      title: 'Change to In',
      replaced: ['in'],
      result: sel,
    });
  });
});

describe('quick fix: convert a v1alpha1 policy to a ClusterNetworkPolicy (NPT07)', () => {
  const others = { 'platform.yaml': CNP };

  it('converts an AdminNetworkPolicy: apiVersion, kind, tier, Allow -> Accept, ports -> protocols; comments kept', () => {
    const text = `# guard the databases
apiVersion: ${V1}
kind: AdminNetworkPolicy
metadata:
  name: guard-db  # owned by the platform team
spec:
  priority: 10
  subject:
    namespaces:
      matchLabels: {tier: data}
  ingress:
    - name: allow-app
      action: Allow  # the app tier only
      from:
        - namespaces:
            matchLabels: {tier: app}
      ports:
        - portNumber:
            port: 5432
        - portNumber: {protocol: UDP, port: 53}
        - portRange:
            protocol: SCTP
            start: 9000
            end: 9100
        - portRange: {start: 8080, end: 8080}
        - namedPort: metrics
    - name: deny-rest
      action: Deny
      from:
        - namespaces: {}
  egress:
    - {name: pass-dns, action: Pass, to: [{namespaces: {}}], ports: [{portNumber: {protocol: UDP, port: 53}}]}
`;
    check(text, 'NPT07', {
      others,
      title: 'Convert to a v1alpha2 ClusterNetworkPolicy (tier: Admin)',
      replaced: [
        V1,
        'AdminNetworkPolicy',
        '',
        'Allow',
        'ports:\n        - portNumber:\n            port: 5432\n        - portNumber: {protocol: UDP, port: 53}\n        - portRange:\n            protocol: SCTP\n            start: 9000\n            end: 9100\n        - portRange: {start: 8080, end: 8080}\n        - namedPort: metrics',
        'ports: [{portNumber: {protocol: UDP, port: 53}}]',
      ],
      result: `# guard the databases
apiVersion: ${V2}
kind: ClusterNetworkPolicy
metadata:
  name: guard-db  # owned by the platform team
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces:
      matchLabels: {tier: data}
  ingress:
    - name: allow-app
      action: Accept  # the app tier only
      from:
        - namespaces:
            matchLabels: {tier: app}
      protocols:
        - tcp:
            destinationPort:
              number: 5432
        - udp:
            destinationPort:
              number: 53
        - sctp:
            destinationPort:
              range:
                start: 9000
                end: 9100
        - tcp:
            destinationPort:
              number: 8080
        - destinationNamedPort: metrics
    - name: deny-rest
      action: Deny
      from:
        - namespaces: {}
  egress:
    - {name: pass-dns, action: Pass, to: [{namespaces: {}}], protocols: [{udp: {destinationPort: {number: 53}}}]}
`,
    });
  });

  it('converts the BaselineAdminNetworkPolicy to tier Baseline with priority 1000 (flow spec)', () => {
    const text = `apiVersion: ${V1}\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec: {subject: {namespaces: {}}, ingress: [{action: Allow, from: [{namespaces: {}}]}]}\n`;
    check(text, 'NPT07', {
      others,
      title: 'Convert to a v1alpha2 ClusterNetworkPolicy (tier: Baseline, priority 1000)',
      replaced: [V1, 'BaselineAdminNetworkPolicy', '', 'Allow'],
      result: `apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata: {name: default}\nspec: {tier: Baseline, priority: 1000, subject: {namespaces: {}}, ingress: [{action: Accept, from: [{namespaces: {}}]}]}\n`,
    });
  });

  it('offers no conversion that v1alpha2 would reject or read differently', () => {
    const head = `apiVersion: ${V1}\nkind: AdminNetworkPolicy\nmetadata: {name: guard}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n    - action: Deny\n      from: [{namespaces: {}}]\n      ports:\n`;
    for (const port of [
      '        - portRange: {start: 90, end: 80}\n',
      '        - portNumber: {protocol: tcp, port: 80}\n',
    ]) {
      assert.deepEqual(fixesOf(head + port, 'NPT07', others), [], port);
    }
    const many = `apiVersion: ${V1}\nkind: AdminNetworkPolicy\nmetadata: {name: guard}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n${'    - {action: Deny, to: [{namespaces: {}}]}\n'.repeat(26)}`;
    assert.deepEqual(fixesOf(many, 'NPT07', others), [], '26 rules');
  });

  it('converts every v1alpha1 policy of test/fixtures/admin into a valid ClusterNetworkPolicy', () => {
    const root = path.resolve(__dirname, '../fixtures/admin');
    let converted = 0;
    let withPorts = 0;
    for (const c of fs.readdirSync(root)) {
      const dir = path.join(root, c, 'manifests');
      for (const name of fs.readdirSync(dir)) {
        const file = parseFile(`file:///ws/${c}/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'));
        for (const doc of file.documents) {
          const node = doc.tree as PMap | null;
          const kind = get(node, 'kind');
          if (
            !node ||
            !kind ||
            (kind.t === 'scalar' && kind.v !== 'AdminNetworkPolicy' && kind.v !== 'BaselineAdminNetworkPolicy')
          ) {
            continue;
          }
          if (adminValidationErrors(node, doc).length) continue; // rejected as it is: nothing to convert
          const fixes = quickFixes(doc, { rule: 'NPT07', s: kind.s, e: kind.e }, undefined, DEFAULT_SETTINGS);
          assert.equal(fixes.length, 1, `${c}/${name}: no conversion`);
          const text = applyEdits(doc.text, fixes[0].edits);
          const out = parseFile('file:///ws/out.yaml', text).documents[0];
          const r = validateAdmin('ClusterNetworkPolicy', out.tree as PMap, out);
          const errors = r.findings.filter((f) => f.severity === 'error' && f.rule !== 'NPA08');
          assert.deepEqual(
            errors.map((f) => `${f.rule} ${f.message}`),
            [],
            `${c}/${name}:\n${text}`,
          );
          converted++;
          if (/\bports:/.test(doc.text)) withPorts++;
        }
      }
    }
    assert.ok(converted >= 20, `${converted} policies converted`);
    assert.ok(withPorts >= 3, `${withPorts} of them with ports`);
  });
});
