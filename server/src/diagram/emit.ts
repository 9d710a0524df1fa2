// Stage 6: the Mermaid text. Nodes go into their namespace's subgraph (the drawn namespace first),
// arrows follow in the order of the edge map (the panel and linkStyle refer to them by index), and
// every label passes through escapeMermaid: no manifest string reaches the text unescaped.

import { commentSafe, escapeMermaid } from './escape';
import type { DiagramEdge, DiagramNode } from '../protocol/diagram';

const LINK_STYLE: Record<string, string> = {
  ingress: 'stroke:#2da44e,stroke-width:2px',
  egress: 'stroke:#3b82f6,stroke-width:2px',
  open: 'stroke:#d97706,stroke-width:2px',
  reply: 'stroke:#8c959f,stroke-width:1px',
  // the admin tiers (docs/semantics.md D.3): accepted by an admin rule; denied although NetworkPolicies allow it
  accepted: 'stroke:#7c3aed,stroke-width:3px',
  denied: 'stroke:#dc2626,stroke-width:2px,stroke-dasharray:4 4',
};

/** A node's quoted label: the title in bold, then the detail lines. */
function label(n: DiagramNode): string {
  // IP node text is formatted by us from parsed addresses (digits, hex, `.:/,`), never verbatim
  const keep = n.kind === 'ip' ? ':' : '';
  const lines = [`<b>${escapeMermaid(n.title, keep)}</b>`, ...n.detail.map((d) => escapeMermaid(d, keep))];
  return `"${lines.join('<br>')}"`;
}

/** A node's label in the shape of its kind. */
export function shape(n: DiagramNode): string {
  const l = label(n);
  switch (n.kind) {
    case 'workload':
    case 'peer':
      return n.workloads.length > 1 ? `[[${l}]]` : `[${l}]`;
    case 'group':
      return `([${l}])`;
    case 'ip':
      return `{{${l}}}`;
    case 'namespace':
      return `[${l}]`;
  }
}

/** The node lines: a subgraph per namespace box (the drawn namespace first), then the rest. */
function nodeLines(
  ns: string,
  nodes: ReadonlyMap<string, DiagramNode>,
  subgraphOf: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  const boxes = new Map<string, DiagramNode>(); // namespace -> its box
  const inBox = new Map<string, DiagramNode[]>();
  const outside: DiagramNode[] = [];
  for (const n of nodes.values()) {
    if (n.kind === 'namespace') {
      boxes.set(n.namespace!, n);
      continue;
    }
    const s = subgraphOf.get(n.id) ?? '';
    if (!s) outside.push(n);
    else {
      let l = inBox.get(s);
      if (!l) inBox.set(s, (l = []));
      l.push(n);
    }
  }
  const names = [...boxes.keys()].sort((a, b) => (a === ns ? -1 : b === ns ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const box = boxes.get(name)!;
    const title = [box.title, ...box.detail].map((t) => escapeMermaid(t)).join(' · ');
    out.push(`  subgraph ${box.id}["${title}"]`);
    // a box without arrows to the outside is laid out on its own, top-down unless told
    out.push('    direction LR');
    const list = inBox.get(name) ?? [];
    // an empty subgraph would be drawn as a plain node
    if (!list.length) out.push(`    ${box.id}_empty["${escapeMermaid('no workloads')}"]`);
    for (const n of list) out.push(`    ${n.id}${shape(n)}`);
    out.push('  end');
  }
  for (const n of outside) out.push(`  ${n.id}${shape(n)}`);
  return out;
}

/** The arrow lines, then the class and linkStyle lines that colour nodes and arrows. */
function edgeAndStyleLines(nodes: ReadonlyMap<string, DiagramNode>, edges: ReadonlyMap<string, DiagramEdge>): string[] {
  const out: string[] = [];
  const styles: Record<string, number[]> = { ingress: [], egress: [], open: [], reply: [], accepted: [], denied: [] };
  let i = 0;
  for (const e of edges.values()) {
    const arrow = e.kind === 'reply' ? '-.->' : e.kind === 'denied' ? '--x' : '-->';
    out.push(e.ports ? `  ${e.from} ${arrow}|"${escapeMermaid(e.ports)}"| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
    const st =
      e.kind === 'reply'
        ? 'reply'
        : e.kind === 'open'
          ? 'open'
          : e.kind === 'denied'
            ? 'denied'
            : e.admin === 'accepted'
              ? 'accepted'
              : e.direction === 'internal'
                ? ''
                : e.direction;
    if (st) styles[st].push(i);
    i++;
  }
  out.push('  classDef open stroke:#d97706,stroke-width:2px,stroke-dasharray:6 3');
  out.push('  classDef group stroke-dasharray:3 3');
  out.push('  classDef ip stroke-dasharray:3 3');
  const openIds = [...nodes.values()].filter((n) => n.open && (n.open.ingress || n.open.egress)).map((n) => n.id);
  const groupIds = [...nodes.values()].filter((n) => n.kind === 'group').map((n) => n.id);
  const ipIds = [...nodes.values()].filter((n) => n.kind === 'ip').map((n) => n.id);
  if (openIds.length) out.push(`  class ${openIds.join(',')} open`);
  if (groupIds.length) out.push(`  class ${groupIds.join(',')} group`);
  if (ipIds.length) out.push(`  class ${ipIds.join(',')} ip`);
  for (const [st, idx] of Object.entries(styles)) {
    for (let k = 0; k < idx.length; k += 200) {
      out.push(`  linkStyle ${idx.slice(k, k + 200).join(',')} ${LINK_STYLE[st]}`);
    }
  }
  return out;
}

function hasAdmin(edges: ReadonlyMap<string, DiagramEdge>): boolean {
  for (const e of edges.values()) if (e.admin) return true;
  return false;
}

/** The flowchart text of a diagram of namespace `ns`. */
export function emitMermaid(
  ns: string,
  nodes: ReadonlyMap<string, DiagramNode>,
  subgraphOf: ReadonlyMap<string, string>,
  edges: ReadonlyMap<string, DiagramEdge>,
): string {
  const out: string[] = [
    `%% netpol-lens traffic diagram of namespace ${commentSafe(ns)}`,
    '%% solid: connection (green ingress, blue egress, grey inside); dotted: reply; orange: open (not isolated, allow-all)',
    ...(hasAdmin(edges)
      ? [
          '%% admin tiers: thick purple: allowed by an admin Accept/Allow rule; red dashed with a cross: denied by an admin policy although NetworkPolicies allow it',
        ]
      : []),
    'flowchart LR',
    ...nodeLines(ns, nodes, subgraphOf),
    ...edgeAndStyleLines(nodes, edges),
  ];
  return `${out.join('\n')}\n`;
}
