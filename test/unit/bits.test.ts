// Bitsets over workload classes (analysis/bits.ts) against plain sets, across word boundaries.
import { strict as assert } from 'node:assert';
import { Bits } from '../../server/src/analysis/bits';
import { rng } from '../support/randomWorkspace';

const members = (b: Bits): number[] => {
  const out: number[] = [];
  b.forEach((i) => out.push(i));
  return out;
};

function random(n: number, r: () => number, density: number): { bits: Bits; set: Set<number> } {
  const bits = new Bits(n);
  const set = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (r() < density) {
      bits.set(i);
      set.add(i);
    }
  }
  return { bits, set };
}

describe('class bitsets', () => {
  it('full(n) holds exactly 0..n-1, for sizes around word boundaries', () => {
    for (const n of [0, 1, 31, 32, 33, 63, 64, 65, 100]) {
      const all = Bits.full(n);
      assert.deepEqual(
        members(all),
        Array.from({ length: n }, (_, i) => i),
        `n=${n}`,
      );
      assert.equal(all.isEmpty(), n === 0);
      assert.ok(new Bits(n).isEmpty());
    }
  });

  it('and, andNot, orInPlace, has and forEach agree with sets', () => {
    const r = rng(42);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(r() * 130);
      const a = random(n, r, r());
      const b = random(n, r, r());
      const sorted = (s: Iterable<number>): number[] => [...s].sort((x, y) => x - y);
      assert.deepEqual(members(a.bits), sorted(a.set), 'forEach visits the members in ascending order');
      assert.deepEqual(members(a.bits.and(b.bits)), sorted([...a.set].filter((i) => b.set.has(i))));
      assert.deepEqual(members(a.bits.andNot(b.bits)), sorted([...a.set].filter((i) => !b.set.has(i))));
      for (let i = 0; i < n; i++) assert.equal(a.bits.has(i), a.set.has(i));
      const before = members(a.bits);
      a.bits.orInPlace(b.bits);
      assert.deepEqual(members(a.bits), sorted(new Set([...before, ...b.set])));
      assert.equal(a.bits.isEmpty(), before.length + b.set.size === 0);
    }
  });
});
