// The fast engine (connectivity.ts) must agree with the pair-by-pair reference (evaluate.ts) on
// random worlds that use every feature: all selector operators, null vs {} selectors, named
// ports, endPort ranges, ipBlocks with except (v4 and v6), defaulted policyTypes, invalid policies.
import { strict as assert } from 'node:assert';
import { computeConnectivity, forEachPair } from '../../server/src/analysis/connectivity';
import { allowedPorts, type Endpoint } from '../../server/src/analysis/evaluate';
import { familyMax } from '../../server/src/analysis/ipset';
import { describePorts } from '../../server/src/analysis/ports';
import { randomWorkspace } from '../support/randomWorkspace';
import { worldOf } from '../support/workspace';

describe('fast engine vs pair-by-pair reference on random worlds', () => {
  for (let seed = 1; seed <= 300; seed++) {
    it(`seed ${seed}`, () => {
      const text = randomWorkspace(seed);
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
        for (const p of world.activePolicies) {
          for (const r of [...p.ingress, ...p.egress]) {
            for (const pe of r.peers ?? []) {
              if (pe.kind !== 'ipBlock' || pe.cidr.family !== f) continue;
              for (const c of [pe.cidr, ...pe.except]) {
                for (const x of [c.lo - 1n, c.lo, c.hi, c.hi + 1n]) if (x >= 0n && x <= familyMax(f)) pts.add(x);
              }
            }
          }
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
    });
  }
});
