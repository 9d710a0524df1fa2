// The traffic diagram's wire format: plain JSON that the language server sends to the panel (custom
// request `netpolLens/diagram`, protocol/index.ts) and that the CLI prints from. Types only, no
// imports: the engine (diagram/) produces these, and the client and the webview read them without
// pulling the analysis (or any runtime code) into their bundles.
//
// Positions are LSP-style: 0-based line and UTF-16 character, ranges end-exclusive.

/** What the panel asks for. */
export interface DiagramParams {
  /** The namespace to draw. Absent (or unknown): the namespace of `uri`, else a default. */
  namespace?: string;
  /** The active document; its namespace is the first choice when `namespace` is absent. */
  uri?: string;
  /** Draw dotted reply arrows (default false). */
  showReplies?: boolean;
  /** Merge workloads with identical connectivity into one node (default true). */
  merge?: boolean;
  /**
   * The environment to draw (docs/environments.md): `clusters/prod`, `charts/shop`, `.` for the plain
   * manifests. Absent or unknown: the plain manifests, else the first environment.
   */
  environment?: string;
  /**
   * `all` (default): effective connectivity, the admin tiers (AdminNetworkPolicy,
   * BaselineAdminNetworkPolicy, ClusterNetworkPolicy) included; `networkpolicies`: as if only
   * NetworkPolicies existed.
   */
  tiers?: DiagramTiers;
}

export type DiagramTiers = 'all' | 'networkpolicies';

export interface DiagramPosition {
  line: number;
  character: number;
}

export interface DiagramRange {
  start: DiagramPosition;
  end: DiagramPosition;
}

export interface DiagramLocation {
  uri: string;
  range: DiagramRange;
}

/** One workload behind a node. */
export interface DiagramWorkload {
  namespace: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  /** Its manifest at metadata.name (or the object when it has none). */
  location?: DiagramLocation;
}

/**
 * - `workload`: workloads of the drawn namespace (one, or several merged with identical connectivity)
 * - `peer`: workloads of another namespace (one, or several with identical arrows)
 * - `group`: a set of peers that one rule allows as a whole: "anywhere" (no from/to list), "any pod
 *   in the cluster" (namespaceSelector {}), "any pod in NS" (podSelector {} / a namespace by name),
 *   "any pod in namespaces <selector>", or pods that a rule names but that no workload of the
 *   workspace matches (`unmatched`: "pods app=x in namespace y, none in the workspace")
 * - `ip`: external addresses (ipBlock ranges)
 * - `namespace`: a namespace box (a Mermaid subgraph); an arrow to it applies to every workload
 *   drawn in it
 */
export type DiagramNodeKind = 'workload' | 'peer' | 'group' | 'ip' | 'namespace';

export interface DiagramNode {
  /** The Mermaid node id (stable across renders: derived from names, not from order). */
  id: string;
  kind: DiagramNodeKind;
  /** For `group` nodes: which group. */
  group?: 'anywhere' | 'cluster' | 'namespace' | 'selector' | 'unmatched';
  /** First line of the label (plain text, unescaped). */
  title: string;
  /** Further label lines (plain text, unescaped): kind, key labels, open marks. */
  detail: string[];
  /** The namespace the node is in, if any (workload/peer nodes, "any pod in NS" groups); for
   *  `namespace` nodes the namespace itself. */
  namespace?: string;
  /** The workloads behind the node (empty for groups and IP ranges). */
  workloads: DiagramWorkload[];
  /** Where clicking the node goes: the workloads' manifests, or the Namespace manifest (empty when
   *  the namespace is only implied). */
  locations: DiagramLocation[];
  /** Workloads of the drawn namespace: whether no policy isolates them (allow-all) per direction. */
  open?: { ingress: boolean; egress: boolean };
}

/** A rule of a policy that allows (part of) an arrow. */
export interface DiagramRuleRef {
  policy: string;
  /** The policy's namespace; for a cluster-scoped admin policy, its kind (`AdminNetworkPolicy`, ...). */
  namespace: string;
  /** Set for the rules of admin policies: the tier the rule decides in. */
  tier?: 'Admin' | 'Baseline';
  direction: 'ingress' | 'egress';
  /** 0-based index in spec.ingress / spec.egress. */
  rule: number;
  /** 0-based index in from/to; absent when the rule has no peer list (it allows every peer). */
  peer?: number;
  /** What the rule allows on this arrow ("TCP 80", "All Connections"). */
  ports: string;
  /** The peer entry (or the rule when it has no peer list). */
  location: DiagramLocation;
}

/**
 * - `connection`: a solid arrow in the direction connections are opened
 * - `open`: the namespace's workload is not isolated in that direction (no policy selects it), so it
 *   accepts from / sends to anywhere
 * - `reply`: the dotted reverse of an arrow (replies are implicit; they are not egress)
 * - `denied`: traffic that NetworkPolicies alone would allow but an admin policy denies (label: the
 *   denied ports; `rules` are the admin rules that deny it)
 */
export type DiagramEdgeKind = 'connection' | 'open' | 'reply' | 'denied';

export interface DiagramEdge {
  id: string;
  /** The id mermaid gives the rendered path (`data-id`): `L_<from>_<to>_0`; from/to pairs are unique. */
  mermaidId: string;
  from: string;
  to: string;
  kind: DiagramEdgeKind;
  /** From the drawn namespace's point of view. */
  direction: 'ingress' | 'egress' | 'internal';
  /** The arrow's label: allowed ports ("TCP 80,UDP 53", "all"); empty for replies. */
  ports: string;
  /** The rules that allow it (for a reply: those of the arrow it answers). */
  rules: DiagramRuleRef[];
  /** Plain-text notes: why it is allowed when no rule is involved, what a group arrow means. */
  notes: string[];
  /** For replies: the id of the connection arrow it answers. */
  replyOf?: string;
  /**
   * `accepted`: an admin Accept/Allow rule allows some of these ports that NetworkPolicies alone
   * would not; `denied`: the arrow of kind `denied`. Absent for arrows the admin tiers do not change.
   */
  admin?: 'accepted' | 'denied';
}

export interface DiagramStats {
  /** Workloads in the drawn namespace. */
  workloads: number;
  /** NetworkPolicies in the namespace that take part (valid) / that are ignored (invalid). */
  policies: number;
  invalidPolicies: number;
  nodes: number;
  /** Solid arrows (connections and open marks). */
  edges: number;
  replies: number;
  /** Workloads that share a node with others. */
  mergedWorkloads: number;
  /** Milliseconds the generator took (not part of the Mermaid text). */
  ms: number;
}

export interface DiagramResult {
  /** The namespace drawn ('' when the workspace has none). */
  namespace: string;
  /** Every namespace of the workspace (of the environment drawn), sorted. */
  namespaces: string[];
  /** The environment drawn, when the workspace has rendered environments. */
  environment?: string;
  /** The environments to choose from (the plain manifests `.` first), when there are rendered ones. */
  environments?: string[];
  /** Why the environment could not be drawn (its render failed, or it is not rendered yet). */
  environmentProblem?: string;
  /** Mermaid flowchart text; every manifest string in it is escaped. */
  mermaid: string;
  nodes: Record<string, DiagramNode>;
  edges: Record<string, DiagramEdge>;
  /** Something the panel shows above the diagram (no policy, unknown namespace, empty). */
  message?: string;
  stats: DiagramStats;
}
