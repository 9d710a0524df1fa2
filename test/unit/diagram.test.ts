import { strict as assert } from 'node:assert';
import { renderDiagram, UnknownNamespaceError } from '../../server/src/cli/diagram';
import { buildDiagram, escapeMermaid } from '../../server/src/diagram/mermaid';
import type { DiagramEdge, DiagramNode, DiagramResult } from '../../server/src/protocol/diagram';
import { diagramMarkdown } from '../../server/src/protocol/diagramMarkdown';
import {
  HOSTILE,
  HOSTILE_LABEL,
  HOSTILE_NAME,
  HOSTILE_NS,
  largeNamespace,
  MERMAID_NAME,
  SHOP,
  tieredNamespace,
  worldOf,
} from '../webview/worlds';

const shop = worldOf(SHOP);
const shopDiagram = (params: Parameters<typeof buildDiagram>[2] = {}): DiagramResult =>
  buildDiagram(shop.world, shop.conn, { namespace: 'shop', ...params });

const nodeBy = (r: DiagramResult, title: string): DiagramNode => {
  const n = Object.values(r.nodes).find((x) => x.title === title);
  assert.ok(
    n,
    `a node titled "${title}" (have: ${Object.values(r.nodes)
      .map((x) => x.title)
      .join(', ')})`,
  );
  return n;
};
const edgeBetween = (r: DiagramResult, from: string, to: string): DiagramEdge => {
  const e = Object.values(r.edges).find((x) => x.from === from && x.to === to && x.kind !== 'reply');
  assert.ok(e, `an arrow ${r.nodes[from]?.title ?? from} -> ${r.nodes[to]?.title ?? to}`);
  return e;
};
/** The file line (0-based) of the first line of a fixture containing `text` after `after`. */
const lineOf = (file: string, text: string, after = ''): number => {
  const src = (SHOP as Record<string, string>)[file];
  const start = after ? src.indexOf(after) : 0;
  assert.ok(start >= 0);
  return src.slice(0, src.indexOf(text, start)).split('\n').length - 1;
};

describe('traffic diagram generator', () => {
  it('draws the namespace workloads with name, kind and key labels inside the namespace box', () => {
    const r = shopDiagram();
    assert.equal(r.namespace, 'shop');
    assert.deepEqual(r.namespaces, ['ingress-nginx', 'kube-system', 'legacy', 'monitoring', 'payments', 'shop']);
    const fe = nodeBy(r, 'frontend');
    assert.equal(fe.kind, 'workload');
    assert.deepEqual(fe.detail, ['Deployment', 'app=frontend', 'tier=web']);
    assert.deepEqual(
      fe.workloads.map((w) => `${w.namespace}/${w.name} ${w.kind}`),
      ['shop/frontend Deployment'],
    );
    assert.deepEqual(fe.open, { ingress: false, egress: false });
    // the node opens its manifest at metadata.name
    assert.equal(fe.locations[0].uri, 'file:///fixtures/shop.yaml');
    assert.equal(fe.locations[0].range.start.line, lineOf('shop.yaml', 'name: "frontend"'));
    const box =
      r.nodes[Object.keys(r.nodes).find((k) => r.nodes[k].kind === 'namespace' && r.nodes[k].namespace === 'shop')!];
    assert.equal(box.title, 'namespace shop');
    assert.deepEqual(box.detail, ['team=web'], 'the labels that namespaceSelectors see');
    assert.equal(box.locations[0].range.start.line, lineOf('namespaces.yaml', 'name: shop'));
    const text = r.mermaid;
    assert.match(text, /^flowchart LR$/m);
    const sub = text.slice(
      text.indexOf(`subgraph ${box.id}[`),
      text.indexOf('  end', text.indexOf(`subgraph ${box.id}[`)),
    );
    for (const t of ['frontend', 'cart', 'checkout', 'db']) {
      assert.ok(sub.includes(`["<b>${t}</b><br>Deployment<br>app=${t}`), `${t} is drawn in the shop box`);
    }
  });

  it('groups the peers: a box per other namespace, anywhere, any pod in a namespace, namespace selectors, IP ranges', () => {
    const r = shopDiagram();
    const fe = nodeBy(r, 'frontend');
    // ingress: no from list -> anywhere; namespaceSelector by labels -> a selector group
    const any = nodeBy(r, 'anywhere');
    assert.equal(any.kind, 'group');
    const fromAny = edgeBetween(r, any.id, fe.id);
    assert.equal(fromAny.ports, 'TCP 8080');
    assert.equal(fromAny.direction, 'ingress');
    const sel = nodeBy(r, 'any pod in namespaces');
    assert.deepEqual(sel.detail, ['role=edge', 'now ingress-nginx']);
    assert.equal(edgeBetween(r, sel.id, fe.id).ports, 'TCP 8443');
    // a namespace by name -> "any pod in monitoring", inside the monitoring box
    const mon = nodeBy(r, 'any pod in monitoring');
    assert.equal(mon.namespace, 'monitoring');
    // the workloads of other namespaces, each in its namespace's box
    const api = nodeBy(r, 'api');
    assert.equal(api.kind, 'peer');
    assert.equal(api.namespace, 'payments');
    const apiBox = Object.values(r.nodes).find((n) => n.kind === 'namespace' && n.namespace === 'payments')!;
    const block = r.mermaid.slice(r.mermaid.indexOf(`subgraph ${apiBox.id}[`));
    assert.ok(block.slice(0, block.indexOf('  end')).includes(`${api.id}["<b>api</b>`));
    // the workers' ipBlock 0.0.0.0/0 except 10.0.0.0/8
    const ip = nodeBy(r, 'any IPv4 except 10.0.0.0/8');
    assert.equal(ip.kind, 'ip');
    const workers = nodeBy(r, 'worker-a, worker-b +1');
    const toIp = edgeBetween(r, workers.id, ip.id);
    assert.equal(toIp.ports, 'TCP 443');
    assert.equal(toIp.direction, 'egress');
    // namespaces that nothing is drawn in get no box
    assert.ok(!Object.values(r.nodes).some((n) => n.kind === 'namespace' && n.namespace === 'legacy'));
  });

  it('draws arrows in the direction connections are opened, labelled with ports, marked ingress/egress/internal', () => {
    const r = shopDiagram();
    const [fe, cart, checkout, db] = ['frontend', 'cart', 'checkout', 'db'].map((t) => nodeBy(r, t));
    assert.equal(edgeBetween(r, fe.id, cart.id).ports, 'TCP 8080', 'the named port http resolves to 8080 on cart');
    assert.equal(edgeBetween(r, fe.id, checkout.id).ports, 'all');
    assert.equal(edgeBetween(r, cart.id, db.id).ports, 'TCP 5432');
    assert.equal(edgeBetween(r, checkout.id, db.id).direction, 'internal');
    assert.ok(
      !Object.values(r.edges).some((e) => e.from === db.id && e.to === cart.id),
      'no arrow against the direction',
    );
    const api = nodeBy(r, 'api');
    const toApi = edgeBetween(r, checkout.id, api.id);
    assert.deepEqual([toApi.ports, toApi.direction], ['TCP 443', 'egress']);
    // an arrow that every workload of the namespace has becomes one arrow from "any pod in shop"
    const all = nodeBy(r, 'any pod in shop');
    assert.equal(all.namespace, 'shop');
    const dns = edgeBetween(r, all.id, nodeBy(r, 'coredns').id);
    assert.deepEqual([dns.ports, dns.direction], ['UDP 53', 'egress']);
    assert.ok(dns.notes[0].startsWith('Every workload of namespace shop'));
    assert.deepEqual(
      dns.rules.map((x) => x.policy),
      ['dns'],
      'the rule of every workload, once',
    );
    const metrics = edgeBetween(r, nodeBy(r, 'any pod in monitoring').id, all.id);
    assert.deepEqual([metrics.ports, metrics.direction], ['TCP 9090', 'ingress']);
    for (const t of ['frontend', 'cart', 'checkout', 'db']) {
      assert.ok(!Object.values(r.edges).some((e) => e.from === nodeBy(r, t).id && e.ports === 'UDP 53'));
    }
    // the text: every arrow once, in the order of r.edges, with linkStyle colours per direction
    const lines = r.mermaid.split('\n').filter((l) => /^ {2}\S+ (-->|-\.->)/.test(l));
    const edges = Object.values(r.edges);
    assert.equal(lines.length, edges.length);
    edges.forEach((e, i) => assert.ok(lines[i].startsWith(`  ${e.from} -->|"${e.ports}"| ${e.to}`), lines[i]));
    const style = (color: string): number[] =>
      (r.mermaid.match(new RegExp(`^  linkStyle ([\\d,]+) stroke:${color}`, 'm'))?.[1] ?? '')
        .split(',')
        .filter(Boolean)
        .map(Number);
    assert.deepEqual(
      style('#2da44e'),
      edges.flatMap((e, i) => (e.direction === 'ingress' && e.kind === 'connection' ? [i] : [])),
    );
    assert.deepEqual(
      style('#3b82f6'),
      edges.flatMap((e, i) => (e.direction === 'egress' && e.kind === 'connection' ? [i] : [])),
    );
    // mermaid's ids for the rendered paths (the panel's click map)
    for (const e of edges) assert.equal(e.mermaidId, `L_${e.from}_${e.to}_0`);
    assert.equal(new Set(edges.map((e) => `${e.from}>${e.to}`)).size, edges.length, 'one arrow per pair of nodes');
  });

  it('explains each arrow with the rules (policy, rule, peer, source range) that allow it', () => {
    const r = shopDiagram();
    const e = edgeBetween(r, nodeBy(r, 'frontend').id, nodeBy(r, 'cart').id);
    const rules = e.rules.map(
      (x) =>
        `${x.namespace}/${x.policy} ${x.direction} #${x.rule}.${x.peer} ${x.ports} @${x.location.range.start.line}`,
    );
    assert.deepEqual(
      rules.sort(),
      [
        `shop/cart ingress #0.0 TCP 8080 @${lineOf('policies.yaml', '- podSelector:', 'name: cart\n')}`,
        `shop/frontend egress #0.0 all @${lineOf('policies.yaml', '- podSelector:', 'egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: cart')}`,
      ].sort(),
    );
    assert.equal(
      e.rules.every((x) => x.location.uri === 'file:///fixtures/policies.yaml'),
      true,
    );
    // only the rules that allow the ports drawn: not the DNS rule that also selects the pair
    assert.ok(!e.rules.some((x) => x.policy === 'dns'));
    // a group arrow carries the rule that makes the group
    const any = edgeBetween(r, nodeBy(r, 'anywhere').id, nodeBy(r, 'frontend').id);
    assert.deepEqual(
      any.rules.map((x) => [x.policy, x.direction, x.rule, x.peer]),
      [['frontend', 'ingress', 0, undefined]],
    );
    assert.match(any.notes[0], /what the rules of namespace shop allow/);
    // an arrow to a workload that is not isolated says so
    const toApi = edgeBetween(r, nodeBy(r, 'checkout').id, nodeBy(r, 'api').id);
    assert.deepEqual(toApi.rules.map((x) => `${x.policy} ${x.direction}`).sort(), [
      'checkout egress',
      'payments-api ingress',
    ]);
  });

  it('merges workloads with identical connectivity, and draws each with merge: false', () => {
    const r = shopDiagram();
    const w = nodeBy(r, 'worker-a, worker-b +1');
    assert.deepEqual(
      w.workloads.map((x) => x.name),
      ['worker-a', 'worker-b', 'worker-c'],
    );
    assert.deepEqual(w.detail, ['3 workloads · Deployment ×3', 'app=worker'], 'only the labels they share');
    assert.match(
      r.mermaid,
      new RegExp(`${w.id}\\[\\["<b>worker-a, worker-b \\+1</b>`),
      'a merged node has the subroutine shape',
    );
    assert.equal(r.stats.mergedWorkloads, 3);
    assert.equal(w.locations.length, 3);
    const split = shopDiagram({ merge: false });
    const names = Object.values(split.nodes)
      .filter((n) => n.kind === 'workload')
      .map((n) => n.title)
      .sort();
    assert.deepEqual(names, ['cart', 'checkout', 'db', 'frontend', 'worker-a', 'worker-b', 'worker-c']);
    const ip = nodeBy(split, 'any IPv4 except 10.0.0.0/8');
    for (const t of ['worker-a', 'worker-b', 'worker-c']) {
      assert.equal(edgeBetween(split, nodeBy(split, t).id, ip.id).ports, 'TCP 443');
    }
  });

  it('merges only exact twins: workloads that reach each other merge with a self-arrow, others stay apart', () => {
    const deploy = (name: string, app: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ns}\nspec: {template: {metadata: {labels: {app: ${app}}}}}\n`;
    const pol = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec:\n  podSelector: {matchLabels: {tier: x}}\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: a}}\n        - podSelector: {matchLabels: {app: b}}\n      ports: [{port: 80}]\n`;
    // a and b accept each other (and themselves); c accepts from a and b too but has other labels
    const t = worldOf({
      'w.yaml': [deploy('a1', 'a'), deploy('b1', 'b'), deploy('c1', 'c')]
        .join('---\n')
        .replace(/labels: \{app: (\w)\}/g, 'labels: {app: $1, tier: x}'),
      'p.yaml': pol,
    });
    const r = buildDiagram(t.world, t.conn, { namespace: 'ns' });
    const ab = nodeBy(r, 'a1, b1');
    assert.equal(edgeBetween(r, ab.id, ab.id).ports, 'TCP 80', 'a1 and b1 connect to each other');
    const c = nodeBy(r, 'c1');
    assert.equal(edgeBetween(r, ab.id, c.id).ports, 'TCP 80');
    assert.ok(
      !Object.values(r.edges).some(
        (e) => e.from === c.id && e.kind === 'connection' && e.to !== nodeBy(r, 'anywhere').id,
      ),
    );
  });

  it('draws peers that match no workload of the workspace as "none in the workspace" groups, linked to the rule', () => {
    const ghostPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: fe
  namespace: web
spec:
  podSelector:
    matchLabels:
      app: fe
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: ghost
        - namespaceSelector:
            matchLabels:
              team: ops
          podSelector:
            matchLabels:
              app: prom
        - podSelector:
            matchLabels:
              app: be
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: db
          podSelector:
            matchLabels:
              app: pg
      ports:
        - port: 5432
`;
    const workload = (name: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: web
spec:
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: c
          image: x
          ports:
            - containerPort: 8080
`;
    const t = worldOf({ 'policy.yaml': ghostPolicy, 'fe.yaml': workload('fe'), 'be.yaml': workload('be') });
    const r = buildDiagram(t.world, t.conn, { namespace: 'web' });
    const ghost = nodeBy(r, 'pods app=ghost');
    assert.equal(ghost.kind, 'group');
    assert.equal(ghost.group, 'unmatched');
    assert.deepEqual(ghost.detail, ['in namespace web', 'none in the workspace']);
    assert.equal(ghost.namespace, 'web');
    // clicking it opens the peer in the rule
    assert.equal(ghost.locations[0].uri, 'file:///fixtures/policy.yaml');
    assert.equal(
      ghost.locations[0].range.start.line,
      ghostPolicy.split('\n').findIndex((l) => l.includes('- podSelector:')),
    );
    const fe = nodeBy(r, 'fe');
    const inside = edgeBetween(r, ghost.id, fe.id);
    assert.equal(inside.direction, 'internal');
    assert.equal(inside.ports, 'all');
    assert.ok(inside.notes.some((n) => /No workload in the workspace matches this peer/.test(n)));
    const prom = nodeBy(r, 'pods app=prom');
    assert.deepEqual(prom.detail, ['in namespaces team=ops', 'none in the workspace']);
    assert.equal(prom.namespace, undefined);
    assert.equal(edgeBetween(r, prom.id, fe.id).direction, 'ingress');
    const pg = nodeBy(r, 'pods app=pg');
    assert.deepEqual(pg.detail, ['in namespace db', 'none in the workspace']);
    const egress = edgeBetween(r, fe.id, pg.id);
    assert.equal(egress.direction, 'egress');
    assert.equal(egress.ports, 'TCP 5432');
    assert.equal(egress.rules[0].policy, 'fe');
    // a peer that matches a workload is drawn through the workload, not as a group
    assert.ok(!Object.values(r.nodes).some((n) => n.title === 'pods app=be'));
    edgeBetween(r, nodeBy(r, 'be').id, fe.id);
    assert.match(r.mermaid, /\(\["<b>pods app=ghost<\/b><br>in namespace web<br>none in the workspace"\]\)/);
  });

  it('marks workloads that no policy isolates as open, and says when a namespace has no policy', () => {
    const r = buildDiagram(shop.world, shop.conn, { namespace: 'legacy' });
    assert.match(r.message ?? '', /^No NetworkPolicy in namespace legacy: no workload is isolated/);
    const old = nodeBy(r, 'old-app');
    assert.deepEqual(old.open, { ingress: true, egress: true });
    assert.ok(old.detail.includes('open · ingress + egress'));
    const any = nodeBy(r, 'anywhere');
    const inE = edgeBetween(r, any.id, old.id);
    const outE = edgeBetween(r, old.id, any.id);
    assert.deepEqual(
      [inE.kind, inE.ports, inE.direction, outE.kind, outE.direction],
      ['open', 'all', 'ingress', 'open', 'egress'],
    );
    assert.match(inE.notes[0], /not isolated for ingress/);
    assert.match(r.mermaid, new RegExp(`class ${old.id} open`));
    assert.match(r.mermaid, /linkStyle 0,1 stroke:#d97706/);
    // in the shop, the workers are isolated for egress only: open for ingress
    const w = nodeBy(shopDiagram(), 'worker-a, worker-b +1');
    assert.deepEqual(w.open, { ingress: false, egress: false }, 'default-deny isolates both directions');
    assert.equal(shopDiagram().message, undefined);
  });

  it('draws dotted replies only when asked, never twice along an existing arrow', () => {
    assert.ok(!/-\.->/.test(shopDiagram().mermaid));
    const r = shopDiagram({ showReplies: true });
    const replies = Object.values(r.edges).filter((e) => e.kind === 'reply');
    const solid = Object.values(r.edges).filter((e) => e.kind !== 'reply');
    assert.equal(r.stats.replies, replies.length);
    assert.equal(r.stats.edges, solid.length);
    assert.equal(
      replies.length,
      solid.filter((e) => e.from !== e.to && !solid.some((o) => o.from === e.to && o.to === e.from)).length,
    );
    for (const rep of replies) {
      const of = r.edges[rep.replyOf!];
      assert.deepEqual([rep.from, rep.to, rep.ports], [of.to, of.from, '']);
      assert.ok(r.mermaid.includes(`  ${rep.from} -.-> ${rep.to}\n`));
    }
  });

  it('escapes every manifest string: HTML, quotes, Mermaid syntax and directives stay text', () => {
    const t = worldOf(HOSTILE);
    for (const merge of [true, false]) {
      const r = buildDiagram(t.world, t.conn, { namespace: 'evil', merge, showReplies: true });
      // every line has the shape we write, whatever the manifests contain
      const LABEL = '"[^"]*"';
      const shapes = [
        new RegExp(
          `^ {4}[a-z][a-z0-9_]*(\\[${LABEL}\\]|\\[\\[${LABEL}\\]\\]|\\(\\[${LABEL}\\]\\)|\\{\\{${LABEL}\\}\\})$`,
        ),
        new RegExp(
          `^ {2}[a-z][a-z0-9_]*(\\[${LABEL}\\]|\\[\\[${LABEL}\\]\\]|\\(\\[${LABEL}\\]\\)|\\{\\{${LABEL}\\}\\})$`,
        ),
        new RegExp(`^ {2}subgraph [a-z][a-z0-9_]*\\[${LABEL}\\]$`),
        /^ {4}direction LR$/,
        /^ {2}end$/,
        new RegExp(`^ {2}[a-z][a-z0-9_]* (-->\\|${LABEL}\\||-\\.->) [a-z][a-z0-9_]*$`),
        /^ {2}(classDef|class|linkStyle) [a-z0-9_,]+ [a-z0-9:#.\- ,]+$/,
        /^%% [^\n]*$/,
        /^flowchart LR$/,
        /^$/,
      ];
      for (const line of r.mermaid.split('\n')) {
        assert.ok(
          shapes.some((s) => s.test(line)),
          `unexpected line: ${line}`,
        );
      }
      // inside labels: only our own <b>, </b>, <br>; no quote, <, >, &, backtick, %, :, ; or # except entities
      for (const m of r.mermaid.matchAll(/"([^"]*)"/g)) {
        const inner = m[1].replace(/<\/?b>|<br>/g, '').replace(/#\d+;/g, '');
        assert.ok(!/[<>&`%:;#"\n]/.test(inner), `raw special character in label: ${m[1]}`);
      }
      assert.ok(!r.mermaid.includes('%%{'), 'no directive can be injected');
      // the wire data keeps the raw strings for the panel, which shows them as text
      const texts = Object.values(r.nodes)
        .flatMap((n) => [n.title, ...n.detail])
        .join('\n');
      assert.ok(texts.includes('namespace %%{init'), 'the hostile namespace name is kept for the panel');
      if (!merge) {
        assert.ok(texts.includes(HOSTILE_NAME.slice(0, 39)));
        assert.ok(texts.includes(`app=${HOSTILE_LABEL}`));
        assert.ok(texts.includes(MERMAID_NAME.slice(0, 39)));
      }
      assert.ok(r.namespaces.includes(HOSTILE_NS));
    }
    assert.equal(escapeMermaid('"><img src=x onerror=alert(1)>'), '#34;#62;#60;img src=x onerror=alert#40;1#41;#62;');
    assert.equal(
      escapeMermaid('a\nb\u202Ec ﬂ°°60¶ß'),
      'a b#8238;c #64258;°°60#182;ß',
      "mermaid's entity placeholders cannot be forged",
    );
    assert.equal(escapeMermaid('fe80::1/64', ':'), 'fe80::1/64');
  });

  it('gives stable ids: the same input gives the same text, and a node keeps its id when others change', () => {
    assert.equal(shopDiagram().mermaid, shopDiagram().mermaid);
    const id = nodeBy(shopDiagram(), 'frontend').id;
    assert.match(id, /^w_frontend_[a-z0-9]+$/);
    const more = worldOf({
      ...SHOP,
      'extra.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: aaa, namespace: shop}\nspec: {template: {metadata: {labels: {app: aaa}}}}\n',
    });
    const r2 = buildDiagram(more.world, more.conn, { namespace: 'shop' });
    assert.equal(nodeBy(r2, 'frontend').id, id);
    assert.ok(nodeBy(r2, 'aaa').open!.ingress === false, 'default-deny isolates the new workload');
  });

  it('picks the namespace of the active document, else a default, and says when the asked one is gone', () => {
    // the namespace with the most objects in the document (policies count double; ties alphabetical)
    assert.equal(buildDiagram(shop.world, shop.conn, { uri: 'file:///fixtures/peers.yaml' }).namespace, 'monitoring');
    assert.equal(buildDiagram(shop.world, shop.conn, { uri: 'file:///fixtures/policies.yaml' }).namespace, 'shop');
    assert.equal(
      buildDiagram(shop.world, shop.conn, {}).namespace,
      'payments',
      'the first namespace with a policy and workloads',
    );
    const gone = buildDiagram(shop.world, shop.conn, { namespace: 'nope', uri: 'file:///fixtures/shop.yaml' });
    assert.equal(gone.namespace, 'shop');
    assert.match(gone.message ?? '', /^Namespace "nope" is not in the workspace any more\./);
    const empty = worldOf({});
    const e = buildDiagram(empty.world, empty.conn, {});
    assert.equal(e.namespace, '');
    assert.match(e.message ?? '', /No Kubernetes namespaces or workloads/);
    assert.match(e.mermaid, /^flowchart LR$/m);
  });

  // its time is measured by `npm run bench:diagram`, not here
  it('draws 200 workloads and 300 arrows, every arrow explained by its two rules', () => {
    for (const files of [tieredNamespace(), largeNamespace(200)]) {
      const t = worldOf(files);
      const r: DiagramResult = buildDiagram(t.world, t.conn, { namespace: 'big' });
      assert.equal(r.stats.workloads, 200);
      assert.equal(r.stats.edges, 300);
      assert.equal(
        Object.values(r.edges).filter((e) => e.rules.length === 2).length,
        300,
        'every arrow explained by its egress and ingress rule',
      );
    }
  });
});

describe('netpol-lens diagram (renderDiagram)', () => {
  it("prints the panel's Mermaid text, or Markdown with a mermaid block and the legend", () => {
    const text = renderDiagram(shop.world, 'shop', 'mermaid');
    assert.equal(text, shopDiagram().mermaid);
    const legacy = renderDiagram(shop.world, 'legacy', 'mermaid');
    assert.match(legacy, /^%% No NetworkPolicy in namespace legacy/);
    const md = renderDiagram(shop.world, 'shop', 'md');
    assert.ok(
      md.startsWith('## Traffic of namespace shop\n\n```mermaid\nflowchart LR') ||
        md.startsWith('## Traffic of namespace shop\n\n```mermaid\n%%'),
    );
    assert.ok(md.includes(`\`\`\`mermaid\n${text.trimEnd()}\n\`\`\`\n`));
    assert.match(md, /^- solid arrow: /m);
    assert.match(renderDiagram(shop.world, 'legacy', 'md'), /^> No NetworkPolicy in namespace legacy/m);
  });

  it('rejects an unknown namespace with the list of those that exist', () => {
    assert.throws(
      () => renderDiagram(shop.world, 'nope', 'mermaid'),
      (e: unknown) =>
        e instanceof UnknownNamespaceError &&
        e.namespace === 'nope' &&
        e.namespaces.join(',') === 'ingress-nginx,kube-system,legacy,monitoring,payments,shop' &&
        /namespaces: ingress-nginx, kube-system/.test(e.message),
    );
    assert.throws(() => renderDiagram(shop.world, '', 'md'), UnknownNamespaceError);
  });

  it('keeps manifest strings plain in the Markdown around the block', () => {
    const md = diagramMarkdown({
      namespace: '<img src=x onerror=alert(1)>`x`',
      mermaid: 'flowchart LR\n',
      message: 'a\n# b <script>',
    });
    assert.ok(!/<img|<script|\n# b/.test(md), md);
    assert.ok(md.startsWith('## Traffic of namespace &#60;img src=x onerror=alert&#40;1&#41;&#62;&#96;x&#96;\n'));
  });

  it('leaves no image, link or mention in the Markdown around the block', () => {
    const md = diagramMarkdown({
      namespace: '![x](https://e.example/a.png) @team',
      mermaid: 'flowchart LR\n',
      message: '',
    });
    const title = md.split('\n')[0];
    assert.equal(title, '## Traffic of namespace &#33;&#91;x&#93;&#40;https://e.example/a.png&#41; &#64;team');
  });
});
