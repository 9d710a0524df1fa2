// Every quick fix, end to end: YAML text -> real diagnostics (checkFile over a world built from
// parseFile + buildWorld) -> quickFixes -> applyEdits -> the exact expected text -> diagnostics
// again (the finding is gone, no new error). Also the LSP path through codeActions().

import { strict as assert } from 'node:assert';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { documentObjects, normalizedPolicy, type World } from '../../server/src/analysis/world';
import type { NormPolicy } from '../../server/src/analysis/policy';
import { codeActions, quickFixes, type Fix } from '../../server/src/features/codeActions';
import { toDiagnostic } from '../../server/src/handlers/convert';
import type { ManifestDocument, ManifestFile } from '../../server/src/model/document';
import { checkFile, type DocFinding } from '../../server/src/rules/registry';
import type { Edit } from '../../server/src/features/yamlEdit';
import { DEFAULT_SETTINGS, type NetpolSettings } from '../../server/src/settings';
import { buildWorkspace } from '../support/workspace';

// ------------------------------------------------------------------ harness

/** Applies edits (document-relative, non-overlapping) to a text (the edits of one fix). */
function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.s - a.s);
  let out = text;
  for (const ed of sorted) out = out.slice(0, ed.s) + ed.text + out.slice(ed.e);
  return out;
}

interface Workspace {
  readonly files: ManifestFile[];
  readonly world: World;
  readonly file: ManifestFile;
  readonly findings: DocFinding[];
}

const MAIN = 'a.yaml';

function load(
  text: string,
  others: Record<string, string> = {},
  name = MAIN,
  settings: NetpolSettings = DEFAULT_SETTINGS,
): Workspace {
  const {
    files,
    world,
    file: fileOf,
  } = buildWorkspace({ ...others, [name]: text }, { defaultNamespace: settings.defaultNamespace });
  const file = fileOf(name);
  return { files, world, file, findings: checkFile(file, world, settings) };
}

/** The policy whose object holds an offset of a document (what codeActions looks up too). */
function policyAt(ws: Workspace, doc: ManifestDocument, off: number): NormPolicy | undefined {
  for (const o of documentObjects(ws.file.uri, doc)) {
    if (o.type === 'policy' && o.node.s <= off && off <= o.node.e) return normalizedPolicy(ws.world, o);
  }
  return undefined;
}

const key = (f: { rule: string; message: string }): string => `${f.rule} ${f.message}`;

interface FixCase {
  /** The text of the file under test. */
  readonly text: string;
  readonly rule: string;
  /** Text of the finding's span, when the rule reports more than one finding in the file. */
  readonly at?: string;
  /** Other files of the workspace. */
  readonly others?: Record<string, string>;
  readonly name?: string;
  readonly settings?: NetpolSettings;
}

function findingOf(ws: Workspace, c: FixCase): DocFinding {
  const hits = ws.findings.filter(
    (f) => f.rule === c.rule && (c.at === undefined || f.doc.text.slice(f.s, f.e) === c.at),
  );
  assert.equal(
    hits.length,
    1,
    `expected one ${c.rule}${c.at ? ` at ${JSON.stringify(c.at)}` : ''}, found: ${ws.findings.map((f) => `${f.rule}@${JSON.stringify(f.doc.text.slice(f.s, f.e))}`).join(', ') || 'none'}`,
  );
  return hits[0];
}

function fixesOf(c: FixCase): { ws: Workspace; finding: DocFinding; fixes: Fix[] } {
  const settings = c.settings ?? DEFAULT_SETTINGS;
  const ws = load(c.text, c.others, c.name, settings);
  const finding = findingOf(ws, c);
  const fixes = quickFixes(
    finding.doc,
    { rule: finding.rule, s: finding.s, e: finding.e, data: finding.data },
    policyAt(ws, finding.doc, finding.s),
    settings,
  );
  return { ws, finding, fixes };
}

interface Expect {
  /** The whole file after the fix. */
  readonly result: string;
  /** Which fix (default: the first). */
  readonly index?: number;
  readonly title?: string | RegExp;
  /** The text each edit replaces, in order: the proof that the edit is minimal. */
  readonly replaced: readonly string[];
  /** Rules of the findings that the fix brings (exactly these; by default none). */
  readonly allowNew?: readonly string[];
  /** The fixed finding may stay (e.g. a second finding of the same rule and message). */
  readonly keeps?: boolean;
}

/** Applies one fix of a finding and checks the text and the diagnostics afterwards. */
function check(c: FixCase, x: Expect): { fixes: Fix[]; after: Workspace } {
  const { ws, finding, fixes } = fixesOf(c);
  const fix = fixes[x.index ?? 0];
  assert.ok(fix, `no fix #${x.index ?? 0} for ${c.rule}; fixes: ${JSON.stringify(fixes.map((f) => f.title))}`);
  if (x.title instanceof RegExp) assert.match(fix.title, x.title);
  else if (x.title !== undefined) assert.equal(fix.title, x.title);
  const doc = finding.doc;
  assert.deepEqual(
    fix.edits.map((e) => doc.text.slice(e.s, e.e)),
    [...x.replaced],
    'replaced text',
  );
  const newDoc = applyEdits(doc.text, fix.edits);
  const result =
    ws.file.text.slice(0, doc.startOffset) + newDoc + ws.file.text.slice(doc.startOffset + doc.text.length);
  assert.equal(result, x.result);

  const after = load(result, c.others, c.name, c.settings ?? DEFAULT_SETTINGS);
  const before = new Map<string, number>();
  for (const f of ws.findings) before.set(key(f), (before.get(key(f)) ?? 0) + 1);
  const remaining = after.findings.filter((f) => key(f) === key(finding)).length;
  if (!x.keeps) {
    assert.ok(
      remaining < (before.get(key(finding)) ?? 0),
      `the ${finding.rule} finding is still there: ${finding.message}`,
    );
  }
  const now = new Map<string, number>();
  const added = new Set<string>();
  for (const f of after.findings) {
    now.set(key(f), (now.get(key(f)) ?? 0) + 1);
    if ((now.get(key(f)) ?? 0) > (before.get(key(f)) ?? 0)) {
      assert.ok(f.severity !== 'error', `new error after the fix: ${f.rule} ${f.message}`);
      assert.ok(x.allowNew?.includes(f.rule), `new finding after the fix: ${f.rule} ${f.message}`);
      added.add(f.rule);
    }
  }
  assert.deepEqual([...added].sort(), [...(x.allowNew ?? [])].sort(), 'new findings after the fix');
  return { fixes, after };
}

function noFix(c: FixCase): void {
  const { fixes } = fixesOf(c);
  assert.deepEqual(
    fixes.map((f) => f.title),
    [],
  );
}

const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

// ------------------------------------------------------------------ fixtures

const HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: web
`;

const HEAD4 = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
    name: api
    namespace: web
`;

// ------------------------------------------------------------------ tests

describe('quick fixes: policyTypes (NPP03, NPP05, NPP04)', () => {
  const egressRules = `${HEAD}spec:
  podSelector:
    matchLabels:
      app: api  # the API pods
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/8
`;

  it('NPP03 offers [Egress] first and [Ingress, Egress]; inserts after podSelector (flush list, comment kept)', () => {
    const c = { text: egressRules, rule: 'NPP03' };
    const { fixes } = check(c, {
      title: 'Add policyTypes: [Egress] (restrict egress only)',
      replaced: [''],
      result: `${HEAD}spec:
  podSelector:
    matchLabels:
      app: api  # the API pods
  policyTypes:
  - Egress
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/8
`,
    });
    assert.deepEqual(
      fixes.map((f) => !!f.preferred),
      [true, false],
    );
    check(c, {
      index: 1,
      title: 'Add policyTypes: [Ingress, Egress] (deny ingress too)',
      replaced: [''],
      result: `${HEAD}spec:
  podSelector:
    matchLabels:
      app: api  # the API pods
  policyTypes:
  - Ingress
  - Egress
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/8
`,
    });
  });

  it('NPP03 with 4-space indentation and indented lists', () => {
    check(
      {
        rule: 'NPP03',
        text: `${HEAD4}spec:
    podSelector: {}
    egress:
        - to:
              - ipBlock:
                    cidr: 10.0.0.0/8
`,
      },
      {
        replaced: [''],
        result: `${HEAD4}spec:
    podSelector: {}
    policyTypes:
        - Egress
    egress:
        - to:
              - ipBlock:
                    cidr: 10.0.0.0/8
`,
      },
    );
  });

  it('NPP03 in a flow spec', () => {
    check(
      { rule: 'NPP03', text: `${HEAD}spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}\n` },
      {
        replaced: [''],
        result: `${HEAD}spec: {policyTypes: [Egress], podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}\n`,
      },
    );
  });

  it('NPP03 with `policyTypes: []` fills the list instead of adding a second key', () => {
    check(
      {
        rule: 'NPP03',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: []\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n`,
      },
      {
        index: 1,
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n`,
      },
    );
  });

  it('NPP03 with `policyTypes:` (null) puts the list under the key', () => {
    check(
      {
        rule: 'NPP03',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:   # to do\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n`,
      },
      {
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:   # to do\n  - Egress\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n`,
      },
    );
  });

  it('NPP03 in a JSON file writes JSON', () => {
    const json = `{
  "apiVersion": "networking.k8s.io/v1",
  "kind": "NetworkPolicy",
  "metadata": {"name": "api", "namespace": "web"},
  "spec": {
    "podSelector": {},
    "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]
  }
}
`;
    check(
      { rule: 'NPP03', text: json, name: 'a.json' },
      {
        replaced: [''],
        result: json.replace('    "podSelector"', '    "policyTypes": ["Egress"],\n    "podSelector"'),
      },
    );
  });

  it('NPP05 (`egress: []`) offers [Ingress, Egress] first, with CRLF line endings', () => {
    const text = crlf(`${HEAD}spec:\n  podSelector: {}\n  egress: []\n`);
    const { fixes } = check(
      { rule: 'NPP05', text },
      {
        title: 'Add policyTypes: [Ingress, Egress] (deny ingress too)',
        replaced: [''],
        allowNew: ['NPP10'],
        result: crlf(`${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n  egress: []\n`),
      },
    );
    assert.equal(fixes[1].title, 'Add policyTypes: [Egress] (restrict egress only)');
  });

  it('NPP04 appends the missing type to a block list, after a commented item', () => {
    check(
      {
        rule: 'NPP04',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress   # ingress only for now\n  ingress:\n  - {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n`,
      },
      {
        title: 'Add Egress to policyTypes',
        replaced: [''],
        allowNew: ['NPP10'],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress   # ingress only for now\n  - Egress\n  ingress:\n  - {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n`,
      },
    );
  });

  it('NPP04 in a flow list, keeping the quotes of the items', () => {
    check(
      {
        rule: 'NPP04',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n  ingress:\n  - from:\n    - podSelector: {}\n  egress:\n  - {}\n`,
      },
      {
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: ["Egress", "Ingress"]\n  ingress:\n  - from:\n    - podSelector: {}\n  egress:\n  - {}\n`,
      },
    );
    check(
      {
        rule: 'NPP04',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n    - 'Egress'\n  ingress:\n    - from:\n        - podSelector: {}\n  egress:\n    - {}\n`,
      },
      {
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n    - 'Egress'\n    - 'Ingress'\n  ingress:\n    - from:\n        - podSelector: {}\n  egress:\n    - {}\n`,
      },
    );
  });
});

const DNS_RULE_2 = `  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53`;

describe('quick fixes: DNS and ports (NPP10, NPP09, NPP11)', () => {
  it('NPP10 appends a DNS rule to a block egress list', () => {
    const text = `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n    ports:\n    - port: 443\n`;
    check(
      { rule: 'NPP10', text },
      {
        title: 'Allow DNS: egress to kube-system k8s-app=kube-dns on UDP and TCP 53',
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n    ports:\n    - port: 443\n${DNS_RULE_2}\n`,
      },
    );
  });

  it('NPP10 adds an egress section after policyTypes (4-space, indented lists, comment kept)', () => {
    check(
      {
        rule: 'NPP10',
        text: `${HEAD4}spec:\n    podSelector: {}\n    policyTypes:\n        - Egress   # deny all egress\n`,
      },
      {
        replaced: [''],
        result: `${HEAD4}spec:
    podSelector: {}
    policyTypes:
        - Egress   # deny all egress
    egress:
        - to:
              - namespaceSelector:
                    matchLabels:
                        kubernetes.io/metadata.name: kube-system
                podSelector:
                    matchLabels:
                        k8s-app: kube-dns
          ports:
              - protocol: UDP
                port: 53
              - protocol: TCP
                port: 53
`,
      },
    );
  });

  it('NPP10 turns `egress: []` into a block list, the comment staying on the key line', () => {
    check(
      {
        rule: 'NPP10',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress: []  # deny all egress\n`,
      },
      {
        replaced: [' []', ''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:  # deny all egress\n${DNS_RULE_2}\n`,
      },
    );
  });

  it('NPP10 fills `egress:` (null) instead of adding a second egress key', () => {
    check(
      { rule: 'NPP10', text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n` },
      {
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n${DNS_RULE_2}\n`,
      },
    );
  });

  it('NPP10 in flow style: a flow rule appended to a flow list, and in a flow spec', () => {
    check(
      {
        rule: 'NPP10',
        text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]\n`,
      },
      {
        replaced: [''],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}, {to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]\n`,
      },
    );
    check(
      { rule: 'NPP10', text: `${HEAD}spec: {podSelector: {}, policyTypes: [Egress], egress: []}\n` },
      {
        replaced: [''],
        result: `${HEAD}spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}\n`,
      },
    );
  });

  it('NPP10 in a List item', () => {
    const list = `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: deny-egress
    namespace: web
  spec:
    podSelector: {}
    policyTypes: [Egress]
`;
    check(
      { rule: 'NPP10', text: list },
      {
        replaced: [''],
        result: `${list}    egress:
    - to:
      - namespaceSelector:
          matchLabels:
            kubernetes.io/metadata.name: kube-system
        podSelector:
          matchLabels:
            k8s-app: kube-dns
      ports:
      - protocol: UDP
        port: 53
      - protocol: TCP
        port: 53
`,
      },
    );
  });

  it('NPP10 uses the DNS settings, in the second document of a file', () => {
    const settings: NetpolSettings = {
      ...DEFAULT_SETTINGS,
      dns: { namespace: 'dns', podLabels: { app: 'coredns' }, port: 5353 },
    };
    const first = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: web\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: api\n`;
    const text = `${first}---\n${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n`;
    check(
      { rule: 'NPP10', text, settings },
      {
        title: 'Allow DNS: egress to dns app=coredns on UDP and TCP 5353',
        replaced: [''],
        result: `${text}  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: dns
      podSelector:
        matchLabels:
          app: coredns
    ports:
    - protocol: UDP
      port: 5353
    - protocol: TCP
      port: 5353
`,
      },
    );
  });

  it('NPP09 adds the UDP entry next to a port without protocol (block and flow)', () => {
    const base = `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - namespaceSelector: {}\n`;
    check(
      { rule: 'NPP09', text: `${base}    ports:\n    - port: 53   # DNS\n` },
      {
        title: 'Also allow UDP 53',
        replaced: [''],
        result: `${base}    ports:\n    - port: 53   # DNS\n    - protocol: UDP\n      port: 53\n`,
      },
    );
    check(
      { rule: 'NPP09', text: `${base}    ports: [{port: 53}]\n` },
      {
        replaced: [''],
        result: `${base}    ports: [{port: 53}, {protocol: UDP, port: 53}]\n`,
      },
    );
  });

  const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
  namespace: web
spec:
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: db
        ports:
        - name: http
          containerPort: 8080
`;
  const service = (target: string): string => `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: web
spec:
  selector:
    app: db
  ports:
  - port: 80
    targetPort: ${target}
`;
  const policy = (port: string): string => `${HEAD}spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes:
  - Ingress
  ingress:
  - from:
    - podSelector: {}
    ports:
    - protocol: TCP
      port: ${port}   # the Service port
`;

  it('NPP11 replaces the Service port by the targetPort, keeping the comment', () => {
    const { fixes } = check(
      { rule: 'NPP11', text: policy('80'), others: { 'deploy.yaml': deploy, 'svc.yaml': service('8080') } },
      {
        title: "Use the pod's port 8080 (the Service's targetPort)",
        replaced: ['80'],
        result: policy('8080'),
      },
    );
    assert.equal(fixes.length, 1);
  });

  it('NPP11 with a named targetPort also offers the name', () => {
    const c = { rule: 'NPP11', text: policy('80'), others: { 'deploy.yaml': deploy, 'svc.yaml': service('http') } };
    const { fixes } = check(c, { replaced: ['80'], result: policy('8080') });
    assert.deepEqual(
      fixes.map((f) => !!f.preferred),
      [true, false],
    );
    check(c, { index: 1, title: 'Use the named port "http"', replaced: ['80'], result: policy('http') });
  });
});

describe('quick fixes: peers (NPP01, NPP02, NPV14)', () => {
  const ingress = `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  ingress:\n`;

  it('NPP01 merges a namespace-only and a pod-only peer by removing one dash', () => {
    check(
      {
        rule: 'NPP01',
        text: `${ingress}  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: a\n    - podSelector:   # the clients\n        matchLabels:\n          app: client\n`,
      },
      {
        title: 'Merge into one peer (AND: pods matching both selectors)',
        replaced: ['-'],
        result: `${ingress}  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: a\n      podSelector:   # the clients\n        matchLabels:\n          app: client\n`,
      },
    );
  });

  it('NPP01 with 4-space indentation, pod peer first', () => {
    const head = `${HEAD4}spec:\n    podSelector: {}\n    policyTypes:\n        - Ingress\n    ingress:\n        - from:\n`;
    check(
      {
        rule: 'NPP01',
        text: `${head}              - podSelector:\n                    matchLabels:\n                        app: client\n              - namespaceSelector:\n                    matchLabels:\n                        team: a\n`,
      },
      {
        replaced: ['-'],
        result: `${head}              - podSelector:\n                    matchLabels:\n                        app: client\n                namespaceSelector:\n                    matchLabels:\n                        team: a\n`,
      },
    );
  });

  it('NPP01 in a flow list joins the two maps', () => {
    check(
      {
        rule: 'NPP01',
        text: `${ingress}  - from: [{namespaceSelector: {matchLabels: {team: a}}}, {podSelector: {matchLabels: {app: client}}}]\n`,
      },
      {
        replaced: ['}, {'],
        result: `${ingress}  - from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: client}}}]\n`,
      },
    );
  });

  it('NPP01: no fix when the keys of the two items are not aligned, or one item is flow', () => {
    noFix({
      rule: 'NPP01',
      text: `${ingress}  - from:\n    - namespaceSelector:\n        matchLabels: {team: a}\n    -   podSelector:\n          matchLabels: {app: client}\n`,
    });
    noFix({
      rule: 'NPP01',
      text: `${ingress}  - from:\n    - namespaceSelector:\n        matchLabels: {team: a}\n    - {podSelector: {matchLabels: {app: client}}}\n`,
    });
  });

  it('NPV14 splits an ipBlock and a selector in one item into two peers (OR), selector after or before', () => {
    check(
      {
        rule: 'NPV14',
        text: `${ingress}  - from:\n    - ipBlock:\n        cidr: 203.0.113.0/24\n      namespaceSelector:   # the partners\n        matchLabels:\n          team: a\n      podSelector:\n        matchLabels:\n          app: client\n`,
      },
      {
        title: 'Split into two peers: the ipBlock OR the selector (either one allows the traffic)',
        replaced: [' '],
        result: `${ingress}  - from:\n    - ipBlock:\n        cidr: 203.0.113.0/24\n    - namespaceSelector:   # the partners\n        matchLabels:\n          team: a\n      podSelector:\n        matchLabels:\n          app: client\n`,
      },
    );
    const head = `${HEAD4}spec:\n    podSelector: {}\n    policyTypes:\n        - Egress\n    egress:\n        - to:\n`;
    check(
      {
        rule: 'NPV14',
        text: `${head}              - podSelector:\n                    matchLabels:\n                        app: db\n                ipBlock:\n                    cidr: 10.0.0.0/8\n`,
      },
      {
        title: 'Split into two peers: the selector OR the ipBlock (either one allows the traffic)',
        replaced: [' '],
        result: `${head}              - podSelector:\n                    matchLabels:\n                        app: db\n              - ipBlock:\n                    cidr: 10.0.0.0/8\n`,
        allowNew: ['NPP10'], // the policy now applies, and it blocks DNS
      },
    );
  });

  it('NPV14: no fix for interleaved entries or flow maps', () => {
    noFix({
      rule: 'NPV14',
      text: `${ingress}  - from:\n    - podSelector: {}\n      ipBlock:\n        cidr: 10.0.0.0/8\n      namespaceSelector: {}\n`,
    });
    noFix({ rule: 'NPV14', text: `${ingress}  - from:\n    - {ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}\n` });
  });

  it('NPP02 writes {} after an empty namespaceSelector, keeping the comment', () => {
    check(
      {
        rule: 'NPP02',
        text: `${ingress}  - from:\n    - namespaceSelector:   # every namespace?\n      podSelector:\n        matchLabels:\n          app: client\n`,
      },
      {
        title: 'Write namespaceSelector: {} (select everything)',
        replaced: [''],
        result: `${ingress}  - from:\n    - namespaceSelector: {}   # every namespace?\n      podSelector:\n        matchLabels:\n          app: client\n`,
      },
    );
  });

  it('NPP02 replaces null and ~, in block and flow maps', () => {
    check(
      {
        rule: 'NPP02',
        text: `${ingress}  - from:\n    - namespaceSelector: null\n      podSelector: {matchLabels: {app: client}}\n`,
      },
      {
        title: 'Replace null with {} (select everything)',
        replaced: ['null'],
        result: `${ingress}  - from:\n    - namespaceSelector: {}\n      podSelector: {matchLabels: {app: client}}\n`,
      },
    );
    check(
      {
        rule: 'NPP02',
        text: `${ingress}  - from:\n    - {namespaceSelector: ~, podSelector: {matchLabels: {app: client}}}\n`,
      },
      {
        replaced: ['~'],
        result: `${ingress}  - from:\n    - {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}\n`,
      },
    );
  });

  it('NPP02 on a null podSelector next to a namespaceSelector', () => {
    check(
      {
        rule: 'NPP02',
        text: `${ingress}  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: a\n      podSelector:\n`,
      },
      {
        replaced: [''],
        result: `${ingress}  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: a\n      podSelector: {}\n`,
      },
    );
  });
});

describe('quick fixes: values (NPP19, NPV16, NPD01, NPV08, NPV05, NPV06, NPV22)', () => {
  const egress = (peer: string): string =>
    `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n${peer}    ports:\n    - port: 443\n`;

  it('NPP19 replaces a CIDR by its canonical form: plain, quoted (quotes kept), IPv6', () => {
    check(
      { rule: 'NPP19', text: egress('    - ipBlock:\n        cidr: 10.0.0.1/24   # office\n') },
      {
        title: 'Replace with the canonical 10.0.0.0/24',
        replaced: ['10.0.0.1/24'],
        result: egress('    - ipBlock:\n        cidr: 10.0.0.0/24   # office\n'),
      },
    );
    check(
      { rule: 'NPP19', text: egress('    - ipBlock:\n        cidr: "10.0.0.1/24"\n') },
      {
        replaced: ['10.0.0.1/24'],
        result: egress('    - ipBlock:\n        cidr: "10.0.0.0/24"\n'),
      },
    );
    check(
      { rule: 'NPP19', text: egress("    - ipBlock: {cidr: '2001:DB8::/32'}\n") },
      {
        replaced: ['2001:DB8::/32'],
        result: egress("    - ipBlock: {cidr: '2001:db8::/32'}\n"),
      },
    );
  });

  it('NPP19 on an except entry, and on a quoted value with an escape', () => {
    check(
      {
        rule: 'NPP19',
        text: egress('    - ipBlock:\n        cidr: 10.0.0.0/8\n        except:\n        - 010.001.0.0/16\n'),
      },
      {
        replaced: ['010.001.0.0/16'],
        result: egress('    - ipBlock:\n        cidr: 10.0.0.0/8\n        except:\n        - 10.1.0.0/16\n'),
      },
    );
    check(
      { rule: 'NPP19', text: egress('    - ipBlock:\n        cidr: "10.0.0.1\\/24"\n') },
      {
        replaced: ['10.0.0.1\\/24'],
        result: egress('    - ipBlock:\n        cidr: "10.0.0.0/24"\n'),
      },
    );
  });

  it('NPP19 through an alias: the anchored value is fixed, the alias gets no fix', () => {
    const text = `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - ipBlock: &office\n        cidr: 10.0.0.1/24\n  - to:\n    - ipBlock: *office\n    ports:\n    - port: 443\n`;
    noFix({ rule: 'NPP19', text, at: '*office' });
    const { after } = check(
      { rule: 'NPP19', text, at: '10.0.0.1/24' },
      {
        replaced: ['10.0.0.1/24'],
        result: text.replace('10.0.0.1/24', '10.0.0.0/24'),
      },
    );
    assert.deepEqual(
      after.findings.filter((f) => f.rule === 'NPP19'),
      [],
    );
  });

  it('NPV16 adds /32 or /128 to a bare address', () => {
    check(
      { rule: 'NPV16', text: egress('    - ipBlock:\n        cidr: 10.1.2.3\n') },
      {
        title: 'Add /32: 10.1.2.3/32 (this single address)',
        replaced: ['10.1.2.3'],
        allowNew: ['NPP10'],
        result: egress('    - ipBlock:\n        cidr: 10.1.2.3/32\n'),
      },
    );
    check(
      { rule: 'NPV16', text: egress("    - ipBlock: {cidr: '2001:db8::1'}\n") },
      {
        replaced: ['2001:db8::1'],
        allowNew: ['NPP10'],
        result: egress("    - ipBlock: {cidr: '2001:db8::1/128'}\n"),
      },
    );
  });

  const selector = (labels: string): string =>
    `${HEAD}spec:\n  podSelector:\n    matchLabels:\n${labels}  policyTypes:\n  - Ingress\n`;

  it('NPD01 quotes a label value that YAML reads as a boolean (block and flow, comment kept)', () => {
    check(
      { rule: 'NPD01', text: selector('      app: api\n      canary: true   # boolean by mistake\n') },
      {
        title: 'Quote true so that it is a string',
        replaced: ['true'],
        result: selector('      app: api\n      canary: "true"   # boolean by mistake\n'),
      },
    );
    check(
      {
        rule: 'NPD01',
        text: `${HEAD}spec:\n  podSelector:\n    matchLabels: {app: api, legacy: yes}\n  policyTypes: [Ingress]\n`,
      },
      {
        replaced: ['yes'],
        result: `${HEAD}spec:\n  podSelector:\n    matchLabels: {app: api, legacy: "yes"}\n  policyTypes: [Ingress]\n`,
      },
    );
  });

  it('NPD01: quoting an anchored value keeps the anchor; no quote fix under an explicit tag', () => {
    check(
      { rule: 'NPD01', text: selector('      canary: &on on\n') },
      {
        replaced: ['on'],
        result: selector('      canary: &on "on"\n'),
      },
    );
    noFix({ rule: 'NPD01', text: selector('      canary: !!bool true\n') });
  });

  it('NPD01 unquotes a quoted integer; NPV08 unquotes a quoted port', () => {
    const ports = (p: string): string =>
      `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - ports:\n${p}`;
    check(
      { rule: 'NPD01', text: ports('    - port: 8000\n      endPort: "8080"\n') },
      {
        title: 'Remove the quotes: 8080 is a number',
        replaced: ['"8080"'],
        allowNew: ['NPP10', 'NPP42'],
        result: ports('    - port: 8000\n      endPort: 8080\n'),
      },
    );
    check(
      { rule: 'NPV08', text: ports('    - port: "80"\n') },
      {
        replaced: ['"80"'],
        allowNew: ['NPP10'],
        result: ports('    - port: 80\n'),
      },
    );
    check(
      { rule: 'NPV08', text: ports("    - {protocol: TCP, port: '443'}\n") },
      {
        replaced: ["'443'"],
        allowNew: ['NPP10'],
        result: ports('    - {protocol: TCP, port: 443}\n'),
      },
    );
  });

  it('NPV05 fixes the case of a policy type (flow, and quoted block item)', () => {
    check(
      { rule: 'NPV05', text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: [ingress]\n` },
      {
        title: 'Change to Ingress',
        replaced: ['ingress'],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`,
      },
    );
    check(
      { rule: 'NPV05', text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n    - "egress"\n` },
      {
        replaced: ['egress'],
        allowNew: ['NPP10'],
        result: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n    - "Egress"\n`,
      },
    );
  });

  it('NPV06 fixes the case of a protocol; NPV22 of an operator', () => {
    const ports = (p: string): string =>
      `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - ports:\n${p}`;
    check(
      { rule: 'NPV06', text: ports('    - port: 443\n      protocol: tcp\n') },
      {
        title: 'Change to TCP',
        replaced: ['tcp'],
        allowNew: ['NPP10'],
        result: ports('    - port: 443\n      protocol: TCP\n'),
      },
    );
    check(
      { rule: 'NPV06', text: ports("    - {port: 123, protocol: 'udp'}\n") },
      {
        replaced: ['udp'],
        allowNew: ['NPP10'],
        result: ports("    - {port: 123, protocol: 'UDP'}\n"),
      },
    );
    const expr = (e: string): string =>
      `${HEAD}spec:\n  podSelector:\n    matchExpressions:\n${e}  policyTypes:\n  - Ingress\n`;
    check(
      { rule: 'NPV22', text: expr('    - key: tier\n      operator: exists\n') },
      {
        title: 'Change to Exists',
        replaced: ['exists'],
        result: expr('    - key: tier\n      operator: Exists\n'),
      },
    );
    check(
      { rule: 'NPV22', text: expr('    - {key: tier, operator: notin, values: [web]}\n') },
      {
        replaced: ['notin'],
        result: expr('    - {key: tier, operator: NotIn, values: [web]}\n'),
      },
    );
  });
});

describe('quick fixes: apiVersion (NPP45)', () => {
  const body =
    'kind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: web\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n';

  it('replaces a wrong apiVersion, keeping quotes', () => {
    check(
      { rule: 'NPP45', text: `apiVersion: extensions/v1beta1\n${body}` },
      {
        title: 'Change apiVersion to networking.k8s.io/v1',
        replaced: ['extensions/v1beta1'],
        result: `apiVersion: networking.k8s.io/v1\n${body}`,
      },
    );
    check(
      { rule: 'NPP45', text: `apiVersion: "networking.k8s.io/v1beta1"\n${body}` },
      {
        replaced: ['networking.k8s.io/v1beta1'],
        result: `apiVersion: "networking.k8s.io/v1"\n${body}`,
      },
    );
  });

  it('adds a missing apiVersion before the first key, after a leading comment', () => {
    check(
      { rule: 'NPP45', text: `# the API policy\n${body}` },
      {
        title: 'Add apiVersion: networking.k8s.io/v1',
        replaced: [''],
        result: `# the API policy\napiVersion: networking.k8s.io/v1\n${body}`,
      },
    );
  });

  it('fills an empty apiVersion', () => {
    check(
      { rule: 'NPP45', text: `apiVersion:\n${body}` },
      {
        title: 'Set apiVersion: networking.k8s.io/v1',
        replaced: [''],
        result: `apiVersion: networking.k8s.io/v1\n${body}`,
      },
    );
  });

  it('in the second document of a CRLF file', () => {
    const first = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';
    check(
      { rule: 'NPP45', text: crlf(`${first}---\n${body}`) },
      {
        replaced: [''],
        result: crlf(`${first}---\napiVersion: networking.k8s.io/v1\n${body}`),
      },
    );
  });

  it('in a List item and in a flow document', () => {
    const item = (api: string): string =>
      `apiVersion: v1\nkind: List\nitems:\n- apiVersion: ${api}\n  kind: NetworkPolicy\n  metadata: {name: api, namespace: web}\n  spec: {podSelector: {}, policyTypes: [Ingress]}\n`;
    check(
      { rule: 'NPP45', text: item('extensions/v1beta1') },
      { replaced: ['extensions/v1beta1'], result: item('networking.k8s.io/v1') },
    );
    check(
      {
        rule: 'NPP45',
        text: '{kind: NetworkPolicy, metadata: {name: api, namespace: web}, spec: {podSelector: {}, policyTypes: [Ingress]}}\n',
      },
      {
        replaced: [''],
        result:
          '{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: api, namespace: web}, spec: {podSelector: {}, policyTypes: [Ingress]}}\n',
      },
    );
  });
});

describe('quick fixes: namespaces (NPP24, NPP25, NPP34)', () => {
  const ns = {
    'ns.yaml':
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
  };
  const from = (peer: string): string =>
    `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n${peer}`;

  it('NPP24 renames the label key to kubernetes.io/metadata.name (comment kept)', () => {
    check(
      {
        rule: 'NPP24',
        others: ns,
        text: from('    - namespaceSelector:\n        matchLabels:\n          name: payments   # team label?\n'),
      },
      {
        title: 'Select the namespace by name: kubernetes.io/metadata.name: payments',
        replaced: ['name'],
        result: from(
          '    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: payments   # team label?\n',
        ),
      },
    );
  });

  it('NPP24 keeps the quotes of a quoted key', () => {
    check(
      { rule: 'NPP24', others: ns, text: from('    - namespaceSelector: {matchLabels: {"name": payments}}\n') },
      {
        replaced: ['"name"'],
        result: from('    - namespaceSelector: {matchLabels: {"kubernetes.io/metadata.name": payments}}\n'),
      },
    );
  });

  it('NPP24: no fix when the selector already has the name label (it would be a duplicate key)', () => {
    noFix({
      rule: 'NPP24',
      others: ns,
      text: from(
        '    - namespaceSelector:\n        matchLabels:\n          name: payments\n          kubernetes.io/metadata.name: payments\n',
      ),
    });
  });

  const monitoring = {
    'mon.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prometheus\n  namespace: monitoring\nspec:\n  selector:\n    matchLabels: {app: metrics}\n  template:\n    metadata:\n      labels: {app: metrics}\n    spec:\n      containers:\n      - name: prometheus\n        image: prometheus\n',
  };

  it('NPP25 adds a namespaceSelector to a pod-only peer (block)', () => {
    check(
      {
        rule: 'NPP25',
        others: monitoring,
        text: from('    - podSelector:\n        matchLabels:\n          app: metrics   # Prometheus\n'),
      },
      {
        title:
          'Look in namespace monitoring: add namespaceSelector (kubernetes.io/metadata.name: monitoring) to this peer',
        replaced: [''],
        result: from(
          '    - podSelector:\n        matchLabels:\n          app: metrics   # Prometheus\n      namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: monitoring\n',
        ),
      },
    );
  });

  it('NPP25 in a flow peer', () => {
    check(
      { rule: 'NPP25', others: monitoring, text: from('    - {podSelector: {matchLabels: {app: metrics}}}\n') },
      {
        replaced: [''],
        result: from(
          '    - {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}, podSelector: {matchLabels: {app: metrics}}}\n',
        ),
      },
    );
  });

  const noNs = (meta: string): string =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n${meta}spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n`;

  it('NPP34 adds metadata.namespace after the name (comment kept), with the default namespace setting', () => {
    check(
      { rule: 'NPP34', text: noNs('  name: api   # no namespace\n  labels:\n    team: a\n') },
      {
        title: 'Set metadata.namespace: default',
        replaced: [''],
        result: noNs('  name: api   # no namespace\n  namespace: default\n  labels:\n    team: a\n'),
      },
    );
    check(
      { rule: 'NPP34', text: noNs('  name: api\n'), settings: { ...DEFAULT_SETTINGS, defaultNamespace: 'prod' } },
      {
        title: 'Set metadata.namespace: prod',
        replaced: [''],
        result: noNs('  name: api\n  namespace: prod\n'),
      },
    );
  });

  it('NPP34 in a flow metadata map, and on an empty namespace key', () => {
    check(
      {
        rule: 'NPP34',
        text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n',
      },
      {
        replaced: [''],
        result:
          'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {namespace: default, name: api}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n',
      },
    );
    check(
      { rule: 'NPP34', text: noNs('  name: api\n  namespace:\n') },
      {
        replaced: [''],
        result: noNs('  name: api\n  namespace: default\n'),
      },
    );
  });
});

describe('quick fixes: removing values (NPV24)', () => {
  const expr = (e: string): string =>
    `${HEAD}spec:\n  podSelector:\n    matchExpressions:\n${e}  policyTypes:\n  - Ingress\n`;

  it('removes the values lines (block list, comment on them goes too)', () => {
    check(
      {
        rule: 'NPV24',
        text: expr('    - key: tier\n      operator: Exists\n      values:\n      - web   # not allowed\n'),
      },
      {
        title: 'Remove values (Exists/DoesNotExist take none)',
        replaced: ['      values:\n      - web   # not allowed\n'],
        result: expr('    - key: tier\n      operator: Exists\n'),
      },
    );
    check(
      { rule: 'NPV24', text: crlf(expr('    - key: tier\n      values: [web]\n      operator: DoesNotExist\n')) },
      {
        replaced: ['      values: [web]\r\n'],
        result: crlf(expr('    - key: tier\n      operator: DoesNotExist\n')),
      },
    );
  });

  it('removes values on the dash line: the next key moves up', () => {
    check(
      { rule: 'NPV24', text: expr('    - values: [web]\n      key: tier\n      operator: Exists\n') },
      {
        replaced: ['values: [web]\n      '],
        result: expr('    - key: tier\n      operator: Exists\n'),
      },
    );
  });

  it('removes values from a flow map (last or first entry)', () => {
    check(
      { rule: 'NPV24', text: expr('    - {key: tier, operator: Exists, values: [web]}\n') },
      {
        replaced: [', values: [web]'],
        result: expr('    - {key: tier, operator: Exists}\n'),
      },
    );
    check(
      { rule: 'NPV24', text: expr('    - {values: [web], key: tier, operator: Exists}\n') },
      {
        replaced: ['values: [web], '],
        result: expr('    - {key: tier, operator: Exists}\n'),
      },
    );
  });

  it('no fix in a multi-line flow map with a comment after values', () => {
    noFix({ rule: 'NPV24', text: expr('    - {key: tier, operator: Exists, values: [web]  # why\n      }\n') });
  });
});

describe('quick fixes: no fix rather than a wrong one', () => {
  it('NPP01 with an aliased peer: removing the dash would break the document', () => {
    noFix({
      rule: 'NPP01',
      text: `${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - &teamA\n      namespaceSelector:\n        matchLabels: {team: a}\n  - from:\n    - *teamA\n    - podSelector:\n        matchLabels: {app: client}\n`,
    });
  });

  it('NPP11 when the Service port maps to several pod ports', () => {
    const deploy = (name: string, port: number): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: web\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}, tier: db}\n    spec:\n      containers:\n      - name: c\n        image: c\n        ports:\n        - {name: http, containerPort: ${port}}\n`;
    const svc = (name: string): string =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: web\nspec:\n  selector: {app: ${name}}\n  ports:\n  - {port: 80, targetPort: http}\n`;
    noFix({
      rule: 'NPP11',
      others: {
        'a1.yaml': deploy('db1', 8080),
        'a2.yaml': deploy('db2', 9090),
        's1.yaml': svc('db1'),
        's2.yaml': svc('db2'),
      },
      text: `${HEAD}spec:\n  podSelector:\n    matchLabels: {tier: db}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - port: 80\n`,
    });
  });

  it('never throws and never edits outside the document, whatever the target', () => {
    const texts = [
      `${HEAD}spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n      podSelector: {matchLabels: {app: x}}\n    ports:\n    - port: 53\n`,
      `{"kind": "NetworkPolicy", "metadata": {"name": "a"}, "spec": {"podSelector": null, "egress": []}}`,
      'kind: NetworkPolicy\nspec: &s\n  podSelector: *s\n  ingress: [{from: [{namespaceSelector: {}}, {podSelector: {}}]}]\n',
      '- a\n- b: [\n',
      '',
    ];
    const rules = [
      'NPP01',
      'NPP02',
      'NPP03',
      'NPP04',
      'NPP05',
      'NPP09',
      'NPP10',
      'NPP11',
      'NPP19',
      'NPP24',
      'NPP25',
      'NPP34',
      'NPP45',
      'NPV05',
      'NPV06',
      'NPV08',
      'NPV16',
      'NPV22',
      'NPV24',
      'NPD01',
      'NPV14',
      'NPP36',
      'NOPE',
      // property names of plain objects: no fix table entry
      'toString',
      'constructor',
      '__proto__',
    ];
    const datas: Array<Record<string, unknown> | undefined> = [
      undefined,
      {},
      { merge: [0, 1e9] },
      { merge: 'x' },
      { merge: [3, 3] },
      { addType: 'Egress' },
      { addType: 'Both' },
      { replacePort: 8080, name: 'http' },
      { canonical: '10.0.0.0/8' },
      { fix: 'quote' },
      { fix: 'unquote' },
      { fix: 'addPrefix', prefix: 32 },
      { useNameLabel: 'x', key: 'name' },
      { replace: 'TCP' },
      { addNamespaceSelector: 'x' },
      { addNamespace: 'x' },
      { addUdp: 53 },
    ];
    let offered = 0;
    for (const text of texts) {
      const ws = load(text);
      for (const doc of ws.file.documents) {
        const policy = policyAt(ws, doc, 0);
        for (const rule of rules) {
          for (const data of datas) {
            for (let s = -1; s <= doc.text.length + 1; s += 3) {
              const fixes = quickFixes(doc, { rule, s, e: s + 4, data }, policy, DEFAULT_SETTINGS);
              for (const f of fixes) {
                offered++;
                for (const ed of f.edits) {
                  assert.ok(
                    ed.s >= 0 && ed.s <= ed.e && ed.e <= doc.text.length,
                    `${rule} edit outside the document: ${JSON.stringify(ed)}`,
                  );
                }
                const sorted = [...f.edits].sort((a, b) => a.s - b.s);
                for (let i = 1; i < sorted.length; i++) {
                  assert.ok(sorted[i - 1].e <= sorted[i].s, `${rule}: overlapping edits`);
                }
              }
            }
          }
        }
      }
    }
    assert.ok(offered > 0);
  });
});

describe('quick fixes through codeActions() and LSP diagnostics', () => {
  /** Applies LSP text edits (file positions) to a text. */
  function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const off = (p: { line: number; character: number }): number => starts[p.line] + p.character;
    const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
    let out = text;
    for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
    return out;
  }

  const first = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';
  const policy = `${HEAD}spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.1/24\n`;

  it('turns a published diagnostic (range + data, through JSON) into quick-fix code actions with file positions', () => {
    const text = crlf(`${first}---\n${policy}`);
    const ws = load(text);
    // as the server publishes them: toDiagnostic, then over the wire (JSON)
    const diags: Diagnostic[] = JSON.parse(JSON.stringify(ws.findings.map(toDiagnostic)));
    const npp03 = diags.find((d) => d.code === 'NPP03')!;
    assert.ok(npp03, 'NPP03 published');
    assert.deepEqual(npp03.range, { start: { line: 12, character: 2 }, end: { line: 12, character: 8 } });
    const foreign: Diagnostic = { range: npp03.range, message: 'from another server', source: 'yaml', code: 'NPP03' };
    const actions = codeActions(ws.file, npp03.range, [npp03, foreign], ws.world, DEFAULT_SETTINGS);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [
        ['Add policyTypes: [Egress] (restrict egress only)', 'quickfix', true],
        ['Add policyTypes: [Ingress, Egress] (deny ingress too)', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, [npp03]);
    const changes = actions[0].edit?.changes?.[ws.file.uri];
    assert.ok(changes);
    assert.deepEqual(changes, [
      {
        range: { start: { line: 11, character: 17 }, end: { line: 11, character: 17 } },
        newText: '\r\n  policyTypes:\r\n  - Egress',
      },
    ]);
    assert.equal(
      applyTextEdits(text, changes),
      crlf(
        `${first}---\n${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.1/24\n`,
      ),
    );

    // every diagnostic of the file at once: each action names its own diagnostic
    const all = codeActions(
      ws.file,
      { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
      diags,
      ws.world,
      DEFAULT_SETTINGS,
    );
    const npp19 = all.find((a) => a.diagnostics?.[0].code === 'NPP19')!;
    assert.equal(npp19.title, 'Replace with the canonical 10.0.0.0/24');
    assert.equal(applyTextEdits(text, npp19.edit!.changes![ws.file.uri]), text.replace('10.0.0.1/24', '10.0.0.0/24'));
    const npp10 = all.find((a) => a.diagnostics?.[0].code === 'NPP10');
    assert.ok(npp10, 'the DNS fix is offered too');
  });

  it('ignores stale or foreign diagnostics without throwing', () => {
    const ws = load(`${first}---\n${policy}`);
    const stale: Diagnostic[] = [
      {
        range: { start: { line: 99, character: 0 }, end: { line: 99, character: 5 } },
        message: 'x',
        source: 'netpol-lens',
        code: 'NPP19',
        data: { canonical: '10.0.0.0/24' },
      },
      // a stale NPP19 now over `web`, and a stale NPV06 over `kind`'s value
      {
        range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } },
        message: 'x',
        source: 'netpol-lens',
        code: 'NPP19',
        data: { canonical: '10.0.0.0/24' },
      },
      {
        range: { start: { line: 1, character: 6 }, end: { line: 1, character: 15 } },
        message: 'x',
        source: 'netpol-lens',
        code: 'NPV06',
        data: { replace: 'TCP' },
      },
      {
        range: { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } },
        message: 'x',
        source: 'netpol-lens',
        code: 'NPV16',
        data: { fix: 'addPrefix', prefix: 32 },
      },
      {
        range: { start: { line: 12, character: 4 }, end: { line: 12, character: 5 } },
        message: 'x',
        source: 'netpol-lens',
        code: 'NPP01',
        data: { merge: [1, 'a'] },
      },
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        message: 'x',
        source: 'netpol-lens',
        code: 42,
      },
    ];
    assert.deepEqual(codeActions(ws.file, stale[0].range, stale, ws.world, DEFAULT_SETTINGS), []);
  });
});

describe('quick fixes: default deny (NPP36)', () => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n';
  const deploy =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          ports:\n            - containerPort: 8080\n';

  it('adds a default-deny-ingress policy as a new document after the Namespace', () => {
    check(
      { rule: 'NPP36', text: `${ns}---\n# the rest\n`, others: { 'deploy.yaml': deploy } },
      {
        title: 'Add a default-deny-ingress policy for namespace web (ingress that no other policy allows is denied)',
        replaced: [''],
        result: `${ns}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: web\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n---\n# the rest\n`,
        allowNew: ['NPP36'], // egress is still open: the finding stays, with another message
      },
    );
  });

  it('adds a default-deny policy for both directions that keeps DNS, named apart from existing policies', () => {
    const taken =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: web\nspec:\n  podSelector:\n    matchLabels:\n      app: nothing\n';
    check(
      { rule: 'NPP36', text: ns, others: { 'deploy.yaml': deploy, 'taken.yaml': taken } },
      {
        index: 1,
        title: 'Add a default-deny-2 policy for namespace web (ingress and egress; DNS to kube-system stays allowed)',
        replaced: [''],
        result: `${ns}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-2\n  namespace: web\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n      ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n`,
      },
    );
  });

  it("writes in the file's style (CRLF, a missing final newline) and not in JSON or List files", () => {
    const { fixes } = fixesOf({
      rule: 'NPP36',
      text: crlf(ns).replace(/\r\n$/, ''),
      others: { 'deploy.yaml': deploy },
    });
    assert.match(fixes[0].edits[0].text, /^\r\n---\r\napiVersion: networking\.k8s\.io\/v1\r\n/);
    assert.ok(!/[^\r]\n/.test(fixes[0].edits[0].text), 'CRLF only');
    noFix({
      rule: 'NPP36',
      name: 'ns.json',
      text: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }),
      others: { 'deploy.yaml': deploy },
    });
  });
});
