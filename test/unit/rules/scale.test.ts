// Copies of the same manifests (environment folders, vendored charts, `kubectl get -o yaml` dumps)
// must cost the rules linear work. The work is counted, not timed: every element the checks read
// from the world's collections (workloads, policies, Services, namespaces, replaced objects, the
// objects) and from the inventory's per-namespace workload lists goes through a counting wrapper.
// Indexes built once per world cost the same for any number of copies; what a further copy may add
// is a few lookups per document, never a scan of a world-wide collection per document or per peer.
import { strict as assert } from 'node:assert';
import { inventoryOf } from '../../../server/src/analysis/inventory';
import { buildWorld, type Workload, type World } from '../../../server/src/analysis/world';
import { parseFile } from '../../../server/src/model/document';
import { checkFile } from '../../../server/src/rules/registry';
import { readSettings } from '../../../server/src/settings';
import { generate } from '../../../scripts/gen-workspace.mjs';

/** Element reads, per collection. */
class Counter {
  readonly by = new Map<string, number>();
  add(what: string): void {
    this.by.set(what, (this.by.get(what) ?? 0) + 1);
  }
  get reads(): number {
    let n = 0;
    for (const v of this.by.values()) n += v;
    return n;
  }
  toString(): string {
    return [...this.by].map(([k, v]) => `${k} ${v}`).join(', ');
  }
}

const isIndex = (p: string | symbol): boolean => typeof p === 'string' && /^(?:0|[1-9]\d*)$/.test(p);

/** The array, reading through which counts one per element read (loops, filter, spread, index). */
function countedArray<T>(what: string, a: readonly T[], c: Counter): readonly T[] {
  return new Proxy(a as T[], {
    get(target, p, receiver) {
      if (isIndex(p)) c.add(what);
      return Reflect.get(target, p, receiver) as unknown;
    },
  });
}

/** A copy of the map that counts one per entry visited or looked up. */
function countedMap<K, V>(what: string, m: ReadonlyMap<K, V>, c: Counter): ReadonlyMap<K, V> {
  const inner = new Map(m);
  function* counting<X>(it: IterableIterator<X>): IterableIterator<X> {
    for (const x of it) {
      c.add(what);
      yield x;
    }
  }
  return {
    get size() {
      return inner.size;
    },
    get: (k: K) => (c.add(what), inner.get(k)),
    has: (k: K) => (c.add(what), inner.has(k)),
    keys: () => counting(inner.keys()),
    values: () => counting(inner.values()),
    entries: () => counting(inner.entries()),
    forEach: (f: (v: V, k: K, map: ReadonlyMap<K, V>) => void) => {
      for (const [k, v] of inner) {
        c.add(what);
        f(v, k, inner);
      }
    },
    [Symbol.iterator]: () => counting(inner.entries()),
  };
}

/** The same world with every collection counted. */
function countedWorld(w: World, c: Counter): World {
  return {
    ...w,
    objects: countedArray('objects', w.objects, c),
    workloads: countedArray('workloads', w.workloads, c),
    policies: countedArray('policies', w.policies, c),
    activePolicies: countedArray('activePolicies', w.activePolicies, c),
    services: countedArray('services', w.services, c),
    replaced: countedArray('replaced', w.replaced, c),
    namespaces: countedMap('namespaces', w.namespaces, c),
  };
}

// a generated workspace (every kind of workload, Services, policies using every feature) in one file
const TEXT = generate({ namespaces: 6, workloads: 60, policies: 60, services: 30, seed: 7 })
  .items.map((it) => `---\n${it.text}`)
  .join('');

interface Measured {
  readonly documents: number;
  /** Per copy: its findings other than the duplicate ones (NPP35, NPX06), as text. */
  readonly perCopy: readonly string[][];
  /** Duplicate findings (NPP35, NPX06) over all copies. */
  readonly duplicates: number;
  readonly reads: number;
  readonly counted: string;
}

const DUPLICATE_RULES = new Set(['NPP35', 'NPX06']);

function measure(copies: number): Measured {
  const files = Array.from({ length: copies }, (_, i) => parseFile(`file:///ws/copy-${i + 1}/policies.yaml`, TEXT));
  const settings = readSettings({});
  const c = new Counter();
  const world = countedWorld(buildWorld(files, { defaultNamespace: settings.defaultNamespace }), c);
  const inv = inventoryOf(world);
  for (const [ns, ws] of inv.byNamespace) {
    inv.byNamespace.set(ns, countedArray('workloads of a namespace', ws, c) as Workload[]);
  }
  c.by.clear(); // count the checks only
  const perCopy: string[][] = [];
  let duplicates = 0;
  for (const f of files) {
    const found = checkFile(f, world, settings);
    duplicates += found.filter((x) => DUPLICATE_RULES.has(x.rule)).length;
    perCopy.push(
      found
        .filter((x) => !DUPLICATE_RULES.has(x.rule))
        .map((x) => `${x.rule} ${x.severity} ${x.doc.positionAt(x.s).line}: ${x.message}`),
    );
  }
  return {
    documents: files.reduce((n, f) => n + f.documents.length, 0),
    perCopy,
    duplicates,
    reads: c.reads,
    counted: String(c),
  };
}

describe('rules: duplicate copies cost linear work', function () {
  this.timeout(120_000);
  const runs = new Map<number, Measured>();
  const get = (k: number): Measured => {
    let m = runs.get(k);
    if (!m) runs.set(k, (m = measure(k)));
    return m;
  };

  it('finds the same problems in every copy, and says which objects are defined again', () => {
    const one = get(1);
    const four = get(4);
    assert.ok(one.documents > 150, `${one.documents} documents`);
    assert.ok(one.perCopy[0].length > 20, `${one.perCopy[0].length} findings`);
    assert.equal(one.duplicates, 0);
    // the last copy is the one in effect: exactly the findings of a single copy; the replaced
    // copies find at least as much (NPP38 compares a replaced policy with the policies in effect)
    assert.deepEqual(four.perCopy[3], one.perCopy[0]);
    for (const copy of four.perCopy.slice(0, 3)) {
      const found = new Set(copy);
      assert.deepEqual(
        one.perCopy[0].filter((x) => !found.has(x)),
        [],
      );
    }
    // every object of the first three copies is replaced by the next copy: two findings per object
    // of the middle copies, one for the first and last copy
    assert.ok(four.duplicates > 6 * 100, `${four.duplicates} duplicate findings`);
  });

  it('each further copy costs lookups, not scans of world-wide collections (at most 5 reads per document)', () => {
    const one = get(1);
    const four = get(4);
    const perDocument = (four.reads - one.reads) / (four.documents - one.documents);
    assert.ok(
      perDocument <= 5,
      `${perDocument.toFixed(1)} reads per further document: ${four.reads} for 4 copies (${four.counted}), ${one.reads} for one (${one.counted})`,
    );
  });

  for (const k of [2, 4]) {
    it(`${k} copies read the world at most ${k * 1.25}× as often as one copy`, () => {
      const one = get(1);
      const many = get(k);
      const ratio = many.reads / one.reads;
      assert.ok(
        ratio <= k * 1.25,
        `${k} copies: ${many.reads} reads of the world's collections (${many.counted}), ${ratio.toFixed(1)}× the ${one.reads} of one copy (${one.counted})`,
      );
    });
  }
});
