// Comparing what rules allow, for redundancy checks.

import { rulePorts } from '../analysis/evaluate';
import type { NormRule } from '../analysis/policy';
import { portsSubset } from '../analysis/ports';

/** Do rule `a`'s ports cover rule `b`'s ports (named ports only when `a` allows every port)? */
export function evaluatePairPortsOnRule(a: NormRule, b: NormRule): boolean {
  if (a.ports === undefined) return true;
  if (b.ports === undefined) return false;
  const named = (r: NormRule): boolean => !!r.ports && r.ports.some((p) => typeof p.port === 'string');
  if (named(a) || named(b)) {
    // compare structurally: every entry of b has an identical entry in a
    const key = (p: NonNullable<NormRule['ports']>[number]): string =>
      `${p.protocol}:${String(p.port)}:${p.endPort ?? ''}`;
    const ka = new Set(a.ports.map(key));
    return b.ports.every((p) => ka.has(key(p)));
  }
  return portsSubset(rulePorts(b, null), rulePorts(a, null));
}
