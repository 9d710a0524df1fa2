// The fast engine (connectivity.ts) must agree with the pair-by-pair reference (evaluate.ts) on
// random worlds that use every feature: all selector operators, null vs {} selectors, named
// ports, endPort ranges, ipBlocks with except (v4 and v6), defaulted policyTypes, invalid policies;
// and the same worlds with admin policies of both API versions (docs/semantics.md D.3).
import { strict as assert } from 'node:assert';
import { computeConnectivity, forEachPair } from '../../server/src/analysis/connectivity';
import { allowedPorts, type Endpoint } from '../../server/src/analysis/evaluate';
import { familyMax } from '../../server/src/analysis/ipset';
import { describePorts } from '../../server/src/analysis/ports';
import { randomAdminPolicies } from '../support/randomAdmin';
import { randomWorkspace } from '../support/randomWorkspace';
import { worldOf } from '../support/workspace';

/** Counts of what the admin worlds exercised (checked below, so the generator cannot go dull). */
const seen = { adminPolicies: 0, invalid: 0, pairsDecidedByAdmin: 0 };

function crossCheck(text: string): void {
  const world = worldOf(text);
  const conn = computeConnectivity(world);
  const fast = new Map<string, string>();
  forEachPair(conn, (a, b, ports) => fast.set(`${a.key} => ${b.key}`, describePorts(conn.table.get(ports))));
  for (const a of world.workloads) {
    for (const b of world.workloads) {
      if (a === b) continue;
      const ref = describePorts(allowedPorts(world, { kind: 'workload', w: a }, { kind: 'workload', w: b }));
      const got = fast.get(`${a.key} => ${b.key}`) ?? 'No Connections';
      assert.equal(got, ref, `${a.key} => ${b.key}\n${text}`);
    }
  }
  // external addresses at probe points of every range boundary
  const probes: Array<{ f: 4 | 6; ip: bigint }> = [];
  for (const f of [4, 6] as const) {
    const pts = new Set<bigint>([0n, familyMax(f)]);
    const add = (c: { lo: bigint; hi: bigint; family: number }): void => {
      if (c.family !== f) return;
      for (const x of [c.lo - 1n, c.lo, c.hi, c.hi + 1n]) if (x >= 0n && x <= familyMax(f)) pts.add(x);
    };
    for (const p of world.activePolicies) {
      for (const r of [...p.ingress, ...p.egress]) {
        for (const pe of r.peers ?? []) if (pe.kind === 'ipBlock') [pe.cidr, ...pe.except].forEach(add);
      }
    }
    for (const p of world.tieredPolicies) {
      for (const r of p.egress) for (const pe of r.peers) if (pe.kind === 'networks') pe.cidrs.forEach(add);
    }
    for (const ip of pts) probes.push({ f, ip });
  }
  for (const w of world.workloads) {
    const c = conn.classOf[w.id];
    for (const { f, ip } of probes) {
      const ep: Endpoint = { kind: 'ip', family: f, ip };
      const segsIn = f === 4 ? conn.ipIngress[c].v4 : conn.ipIngress[c].v6;
      const segsOut = f === 4 ? conn.ipEgress[c].v4 : conn.ipEgress[c].v6;
      const find = (segs: readonly { lo: bigint; hi: bigint; ports: number }[]): string => {
        const s = segs.find((x) => x.lo <= ip && ip <= x.hi);
        return s ? describePorts(conn.table.get(s.ports)) : 'No Connections';
      };
      assert.equal(
        find(segsIn),
        describePorts(allowedPorts(world, ep, { kind: 'workload', w })),
        `ip ${ip} v${f} => ${w.key}\n${text}`,
      );
      assert.equal(
        find(segsOut),
        describePorts(allowedPorts(world, { kind: 'workload', w }, ep)),
        `${w.key} => ip ${ip} v${f}\n${text}`,
      );
    }
  }
}

describe('fast engine vs pair-by-pair reference on random worlds', () => {
  for (let seed = 1; seed <= 300; seed++) {
    it(`seed ${seed}`, () => crossCheck(randomWorkspace(seed)));
  }
});

describe('fast engine vs pair-by-pair reference on random worlds with admin policies', () => {
  for (let seed = 1; seed <= 300; seed++) {
    it(`seed ${seed}`, () => {
      const text = [randomWorkspace(seed), ...randomAdminPolicies(seed)].join('---\n');
      const world = worldOf(text);
      seen.adminPolicies += world.tieredPolicies.length;
      seen.invalid += world.tieredPolicies.filter((p) => !p.valid).length;
      for (const a of world.workloads) {
        for (const b of world.workloads) {
          if (a === b) continue;
          const src: Endpoint = { kind: 'workload', w: a };
          const dst: Endpoint = { kind: 'workload', w: b };
          const withTiers = describePorts(allowedPorts(world, src, dst));
          if (withTiers !== describePorts(allowedPorts(world, src, dst, { tiers: false }))) seen.pairsDecidedByAdmin++;
        }
      }
      crossCheck(text);
    });
  }
  after(() => {
    // the generator must produce valid and invalid admin policies that change results
    assert.ok(seen.adminPolicies > 600, JSON.stringify(seen));
    assert.ok(seen.invalid > 10 && seen.invalid < seen.adminPolicies / 3, JSON.stringify(seen));
    assert.ok(seen.pairsDecidedByAdmin > 500, JSON.stringify(seen));
    console.log(`      admin worlds: ${JSON.stringify(seen)}`);
  });
});
