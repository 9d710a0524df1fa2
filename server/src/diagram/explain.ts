// Stage 4b: why an arrow is there. Arrows to workloads and address ranges are explained with the
// pair-by-pair evaluator (evaluate.ts) on a few representative workloads: the rules that allow some
// of the ports the arrow shows, and a note for an end that no policy isolates. Only drawn arrows
// are explained, lazily (edges.ts), and the isolating policies come from the connectivity, which
// already knows them per class, instead of a scan of every policy for every arrow.

import type { Connectivity } from '../analysis/connectivity';
import { type DirectionVerdict, type Endpoint, evaluateDirection, type RuleMatch, wl } from '../analysis/evaluate';
import type { Direction, NormPolicy, NormRule } from '../analysis/policy';
import { intersectPorts, isEmptyPorts, type PortSet } from '../analysis/ports';
import type { Workload, World } from '../analysis/world';
import type { DiagramRuleRef } from '../protocol/diagram';
import { location } from './nodes';
import { type DiagramPorts, portsLabel } from './portSets';

export const dirName = (d: Direction): 'ingress' | 'egress' => (d === 'Ingress' ? 'ingress' : 'egress');

/** The rules and notes of an arrow. */
export interface Explanation {
  rules: DiagramRuleRef[];
  notes: string[];
}

/** The same rule references once (they are shared objects, see Explainer.ruleRef). */
export function dedupeRules(rs: DiagramRuleRef[]): DiagramRuleRef[] {
  return rs.length < 2 ? rs : [...new Set(rs)];
}

/** Why an arrow has no rule: the workload is not isolated in that direction. */
export function openNote(w: Workload, d: Direction): string {
  return `${w.namespace}/${w.name} is not isolated for ${dirName(d)} (no NetworkPolicy selects it for ${dirName(d)}), so it ${d === 'Ingress' ? 'accepts connections from anywhere' : 'may connect anywhere'}`;
}

/** The matches that allow some of the ports the arrow shows. */
function relevant(ms: readonly RuleMatch[], shown: PortSet): RuleMatch[] {
  return ms.filter((m) => !isEmptyPorts(intersectPorts(m.ports, shown)));
}

export class Explainer {
  /** One ref object per (rule, peer, ports): deduplicated by identity, and cheap to build. */
  private readonly refCache = new Map<NormRule, Map<string, DiagramRuleRef>>();
  private readonly isolatingMemo = new Map<string, NormPolicy[]>();

  constructor(
    private readonly world: World,
    private readonly conn: Connectivity,
    private readonly ports: DiagramPorts,
  ) {}

  /** The reference to the rule (and peer) of a match, for the ports it allows. */
  ruleRef(m: RuleMatch): DiagramRuleRef {
    const portsText = portsLabel(m.ports);
    let byRule = this.refCache.get(m.rule);
    if (!byRule) this.refCache.set(m.rule, (byRule = new Map()));
    const k = `${m.peer ? m.peer.index : ''}:${portsText}`;
    let r = byRule.get(k);
    if (r) return r;
    const node = m.peer ? m.peer.node : m.rule.node;
    r = {
      policy: m.policy.name,
      namespace: m.policy.namespace,
      direction: dirName(m.rule.direction),
      rule: m.rule.index,
      ports: portsText,
      location: location(m.policy.obj.uri, m.policy.obj.doc, node.s, node.e),
    };
    if (m.peer) r.peer = m.peer.index;
    byRule.set(k, r);
    return r;
  }

  /**
   * The policies isolating a workload for a direction, in the order of world.activePolicies: what
   * evaluate.ts would find by testing every active policy, read from the connectivity's classes.
   */
  isolating(w: Workload, d: Direction): readonly NormPolicy[] {
    const c = this.conn.classOf[w.id];
    const k = `${c}:${d}`;
    let ps = this.isolatingMemo.get(k);
    if (!ps) this.isolatingMemo.set(k, (ps = this.conn.isolation[d][c].map((pid) => this.world.activePolicies[pid])));
    return ps;
  }

  /** One direction of a connection, as evaluate.ts decides it: `self` is the isolated end. */
  private direction(d: Direction, self: Workload, other: Endpoint): DirectionVerdict {
    return evaluateDirection(this.world, d, self, other, this.isolating(self, d));
  }

  /** Explains an arrow between workloads with (up to 4 of) its sources and destinations. */
  pair(srcs: readonly Workload[], dsts: readonly Workload[], drawn: number): Explanation {
    const shown = this.ports.get(drawn);
    const rules: DiagramRuleRef[] = [];
    const notes = new Set<string>();
    for (const s of srcs.slice(0, 4)) {
      for (const t of dsts.slice(0, 4)) {
        if (t === s) continue;
        // as evaluatePair: the source's egress, then the destination's ingress
        for (const v of [this.direction('Egress', s, wl(t)), this.direction('Ingress', t, wl(s))]) {
          rules.push(...relevant(v.matches, shown).map((m) => this.ruleRef(m)));
          if (!v.isolatedBy.length) notes.add(openNote(v.direction === 'Egress' ? s : t, v.direction));
        }
      }
    }
    return { rules: dedupeRules(rules), notes: [...notes] };
  }

  /** Explains an arrow between workloads and external addresses, probed at one address. */
  addresses(ws: readonly Workload[], d: Direction, probe: Endpoint, drawn: number): Explanation {
    const shown = this.ports.get(drawn);
    const rules: DiagramRuleRef[] = [];
    for (const w of ws) rules.push(...relevant(this.direction(d, w, probe).matches, shown).map((m) => this.ruleRef(m)));
    return { rules: dedupeRules(rules), notes: [] };
  }
}
