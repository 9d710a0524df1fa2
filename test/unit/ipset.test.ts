import { strict as assert } from 'node:assert';
import { formatIpRange, formatV6, parseCidr, parseIp, rangeToCidrs, sweepIpMap } from '../../server/src/analysis/ipset';
import { compileSelector, describeSelector, matches } from '../../server/src/analysis/selectors';
import { parseDocument } from '../../server/src/model/document';

describe('IP addresses and CIDRs', () => {
  it('parses IPv4 and IPv6 CIDRs to their masked networks, as the API server does', () => {
    const c = parseCidr('10.0.0.1/24')!;
    assert.equal(c.canonical, '10.0.0.0/24');
    assert.match(c.warnings[0], /bits are set beyond the prefix/);
    assert.equal(parseCidr('0.0.0.0/0')!.hi, (1n << 32n) - 1n);
    assert.equal(parseCidr('2001:DB8:0:0::/64')!.canonical, '2001:db8::/64');
    assert.ok(parseCidr('2001:DB8::/64')!.warnings.some((w) => /RFC 5952/.test(w)));
    assert.ok(parseCidr('010.0.0.0/8')!.warnings.some((w) => /leading zeros/.test(w)));
    assert.ok(parseCidr('::ffff:10.0.0.0/104')!.warnings.some((w) => /IPv4-mapped/.test(w)));
    for (const bad of [
      '10.0.0.1',
      '300.1.1.1/8',
      ' 10.0.0.0/8',
      '10.0.0.0/33',
      '::/129',
      'abc/8',
      '1:2:3:4:5:6:7:8:9/64',
      '1::2::3/64',
      '',
    ]) {
      assert.equal(parseCidr(bad), null, bad);
    }
  });

  it('formats addresses and ranges', () => {
    assert.equal(formatV6(parseIp('2001:0db8:0000:0000:0001:0000:0000:0001')!.value), '2001:db8::1:0:0:1');
    assert.equal(formatV6(0n), '::');
    assert.equal(formatIpRange(parseIp('10.0.0.0')!.value, parseIp('10.255.255.255')!.value, 4), '10.0.0.0/8');
    assert.equal(formatIpRange(parseIp('10.0.0.1')!.value, parseIp('10.0.0.6')!.value, 4), '10.0.0.1-10.0.0.6');
    assert.deepEqual(rangeToCidrs(parseIp('10.0.0.1')!.value, parseIp('10.0.0.6')!.value, 4), [
      '10.0.0.1/32',
      '10.0.0.2/31',
      '10.0.0.4/31',
      '10.0.0.6/32',
    ]);
  });

  it('sweeps overlapping ranges into disjoint segments, unioning their port sets', () => {
    const segs = sweepIpMap(
      [
        { lo: 0n, hi: 100n, ports: 2 },
        { lo: 50n, hi: 150n, ports: 3 },
      ],
      (a, b) => (a === 0 ? b : b === 0 ? a : a * 10 + b),
    );
    assert.deepEqual(
      segs.map((s) => [s.lo, s.hi, s.ports]),
      [
        [0n, 49n, 2],
        [50n, 100n, 23],
        [101n, 150n, 3],
      ],
    );
  });
});

describe('label selectors', () => {
  const sel = (yaml: string) => compileSelector(parseDocument(yaml).tree!)!;
  it('ANDs matchLabels and matchExpressions with every operator', () => {
    const s = sel(
      'matchLabels: {app: web}\nmatchExpressions:\n- {key: env, operator: NotIn, values: [prod]}\n- {key: tier, operator: Exists}\n- {key: legacy, operator: DoesNotExist}\n- {key: team, operator: In, values: [a, b]}\n',
    );
    assert.ok(matches(s, { app: 'web', tier: '', team: 'a' }));
    assert.ok(!matches(s, { app: 'web', tier: '', team: 'a', env: 'prod' }));
    assert.ok(!matches(s, { app: 'web', tier: 'x', team: 'c' }));
    assert.ok(!matches(s, { app: 'web', tier: 'x', team: 'a', legacy: '1' }));
    assert.match(
      describeSelector(s, 'pods'),
      /app=web and env not in \(prod\) \(also matches objects without a env label\)/,
    );
  });
  it('gives {} as match-all and null as absent', () => {
    assert.ok(matches(sel('{}'), { any: 'thing' }));
    const root = parseDocument('x:').tree!;
    assert.equal(root.t, 'map');
    assert.equal(compileSelector(root.t === 'map' ? root.entries[0].value : undefined), undefined);
  });
});
