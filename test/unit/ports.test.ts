import { strict as assert } from 'node:assert';
import {
  describePorts,
  intersectPorts,
  portSetOf,
  PortSetTable,
  subtractRanges,
  unionPorts,
} from '../../server/src/analysis/ports';

describe('port sets', () => {
  it('merges adjacent and overlapping ranges', () => {
    const p = portSetOf([
      { protocol: 'TCP', from: 80, to: 80 },
      { protocol: 'TCP', from: 81, to: 90 },
      { protocol: 'TCP', from: 85, to: 100 },
      { protocol: 'UDP', from: 53, to: 53 },
    ]);
    assert.deepEqual(p.TCP, [80, 100]);
    assert.equal(describePorts(p), 'TCP 80-100,UDP 53');
  });
  it('intersects and unions per protocol', () => {
    const a = portSetOf([
      { protocol: 'TCP', from: 1, to: 100 },
      { protocol: 'SCTP', from: 5, to: 5 },
    ]);
    const b = portSetOf([
      { protocol: 'TCP', from: 50, to: 200 },
      { protocol: 'UDP', from: 5, to: 5 },
    ]);
    assert.equal(describePorts(intersectPorts(a, b)), 'TCP 50-100');
    assert.equal(describePorts(unionPorts(a, b)), 'SCTP 5,TCP 1-200,UDP 5');
  });
  it('subtracts ranges', () => {
    assert.deepEqual(subtractRanges([1, 100], [10, 20, 50, 60]), [1, 9, 21, 49, 61, 100]);
    assert.deepEqual(subtractRanges([1, 100], [1, 100]), []);
  });
  it('interns equal sets to one id and memoises operations', () => {
    const t = new PortSetTable();
    const a = t.intern(portSetOf([{ protocol: 'TCP', from: 80, to: 80 }]));
    const b = t.intern(portSetOf([{ protocol: 'TCP', from: 80, to: 80 }]));
    assert.equal(a, b);
    assert.equal(t.intersect(a, PortSetTable.ALL), a);
    assert.equal(t.union(a, PortSetTable.EMPTY), a);
    assert.equal(describePorts(t.get(PortSetTable.ALL)), 'All Connections');
  });
});
