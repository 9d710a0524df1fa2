// Stage 4b: why an arrow is there. Arrows to workloads and address ranges are explained with the
// pair-by-pair evaluator (evaluate.ts) on a few representative workloads: the rules that allow some
// of the ports the arrow shows, and a note for an end that no policy isolates. Only drawn arrows
// are explained, lazily (edges.ts), and the isolating policies come from the connectivity, which
// already knows them per class, instead of a scan of every policy for every arrow.

import type { Connectivity } from '../analysis/connectivity';
import { type DirectionVerdict, type Endpoint, evaluateDirection, type RuleMatch, wl } from '../analysis/evaluate';
import type { Direction, NormPolicy, NormRule } from '../analysis/policy';
import { EMPTY_PORTS, intersectPorts, isEmptyPorts, type PortSet } from '../analysis/ports';
import { applyTiers, type TierDecision } from '../analysis/tierEval';
import { tierRuleName } from '../analysis/tierExplain';
import type { TieredRule } from '../analysis/tiered';
import type { Workload, World } from '../analysis/world';
import type { DiagramRuleRef } from '../protocol/diagram';
import { location } from './nodes';
import { type DiagramPorts, portsLabel } from './portSets';

export const dirName = (d: Direction): 'ingress' | 'egress' => (d === 'Ingress' ? 'ingress' : 'egress');

/** The rules and notes of an arrow. */
export interface Explanation {
  rules: DiagramRuleRef[];
  notes: string[];
  /** An admin Accept/Allow rule allows some of the arrow's ports (docs/semantics.md D.3). */
  admin?: 'accepted';
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
  private readonly refCache = new Map<NormRule | TieredRule, Map<string, DiagramRuleRef>>();
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

  /** The reference to an admin rule that decided some of an arrow's ports. */
  tierRuleRef(t: TierDecision, ports: PortSet): DiagramRuleRef {
    const portsText = portsLabel(ports);
    let byRule = this.refCache.get(t.rule);
    if (!byRule) this.refCache.set(t.rule, (byRule = new Map()));
    const k = `${t.peer.index}:${portsText}`;
    let r = byRule.get(k);
    if (r) return r;
    const p = t.policy;
    r = {
      policy: p.name,
      namespace: p.kind,
      tier: p.tier,
      direction: dirName(t.rule.direction),
      rule: t.rule.index,
      peer: t.peer.index,
      ports: portsText,
      location: location(p.obj.uri, p.obj.doc, t.peer.node.s, t.peer.node.e),
    };
    byRule.set(k, r);
    return r;
  }

  /** One direction of a connection, as evaluate.ts decides it (with the admin tiers when they count). */
  private direction(d: Direction, self: Workload, other: Endpoint): DirectionVerdict {
    const np = evaluateDirection(this.world, d, self, other, this.isolating(self, d));
    if (!this.conn.tiers) return np;
    const tiers = applyTiers(this.world, d, self, other, np);
    return { ...np, allowed: tiers.allowed, tiers };
  }

  /** What a direction contributes to an arrow showing `shown`: rule references, notes, the admin mark. */
  private explainDirection(
    v: DirectionVerdict,
    self: Workload,
    shown: PortSet,
    out: Explanation,
    notes: Set<string>,
  ): void {
    const t = v.tiers;
    if (!t) {
      out.rules.push(...relevant(v.matches, shown).map((m) => this.ruleRef(m)));
      if (!v.isolatedBy.length) notes.add(openNote(self, v.direction));
      return;
    }
    out.rules.push(
      ...relevant(v.matches, intersectPorts(shown, t.npDecided ? t.rest : EMPTY_PORTS)).map((m) => this.ruleRef(m)),
    );
    for (const d of [...t.admin, ...t.baseline]) {
      const ports = intersectPorts(d.ports, shown);
      if (d.action !== 'Accept' || isEmptyPorts(ports)) continue;
      out.rules.push(this.tierRuleRef(d, ports));
      if (d.policy.tier === 'Admin') {
        out.admin = 'accepted';
        notes.add(`${portsLabel(ports)}: allowed by ${tierRuleName(d.policy, d.rule)}, before any NetworkPolicy`);
      }
    }
    if (!v.isolatedBy.length && !t.admin.length && !t.baseline.length) {
      notes.add(
        `${self.namespace}/${self.name} is not isolated for ${dirName(v.direction)} by a NetworkPolicy and no admin rule matches this connection: allowed by default`,
      );
    }
  }

  /** Explains an arrow between workloads with (up to 4 of) its sources and destinations. */
  pair(srcs: readonly Workload[], dsts: readonly Workload[], drawn: number): Explanation {
    const shown = this.ports.get(drawn);
    const out: Explanation = { rules: [], notes: [] };
    const notes = new Set<string>();
    for (const s of srcs.slice(0, 4)) {
      for (const t of dsts.slice(0, 4)) {
        if (t === s) continue;
        // as evaluatePair: the source's egress, then the destination's ingress
        this.explainDirection(this.direction('Egress', s, wl(t)), s, shown, out, notes);
        this.explainDirection(this.direction('Ingress', t, wl(s)), t, shown, out, notes);
      }
    }
    return { ...out, rules: dedupeRules(out.rules), notes: [...notes] };
  }

  /**
   * Explains a denied arrow (ports NetworkPolicies alone allow and the admin tiers deny): the Deny
   * rules of the Admin and Baseline tiers that decide them, for (up to 4 of) its ends; for an arrow
   * to external addresses, `addresses` are probes of its ranges.
   */
  denied(
    srcs: readonly Workload[],
    dsts: readonly Workload[],
    denied: number,
    addresses: readonly Endpoint[] = [],
  ): Explanation {
    const shown = this.ports.get(denied);
    const rules: DiagramRuleRef[] = [];
    const add = (v: DirectionVerdict): void => {
      for (const d of [...(v.tiers?.admin ?? []), ...(v.tiers?.baseline ?? [])]) {
        const ports = intersectPorts(d.ports, shown);
        if (d.action === 'Deny' && !isEmptyPorts(ports)) rules.push(this.tierRuleRef(d, ports));
      }
    };
    for (const s of srcs.slice(0, 4)) {
      for (const a of addresses.slice(0, 8)) add(this.direction('Egress', s, a));
      for (const t of dsts.slice(0, 4)) {
        if (t === s) continue;
        add(this.direction('Egress', s, wl(t)));
        add(this.direction('Ingress', t, wl(s)));
      }
    }
    return {
      rules: dedupeRules(rules),
      notes: [`NetworkPolicies alone would allow ${portsLabel(shown)} here; the admin tiers deny it`],
    };
  }

  /** Explains an arrow between workloads and external addresses, probed at one address. */
  addresses(ws: readonly Workload[], d: Direction, probe: Endpoint, drawn: number): Explanation {
    const shown = this.ports.get(drawn);
    const out: Explanation = { rules: [], notes: [] };
    const notes = new Set<string>();
    for (const w of ws) this.explainDirection(this.direction(d, w, probe), w, shown, out, notes);
    // an isolated address arrow needs no "open" note (it never had one)
    const kept = [...notes].filter((n) => !n.includes('is not isolated'));
    return { ...out, rules: dedupeRules(out.rules), notes: kept };
  }
}
