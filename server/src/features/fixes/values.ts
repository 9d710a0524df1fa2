// Fixes of scalar values: quotes that decide a type (NPD01, NPV08), ports (NPP09: UDP too;
// NPP11: the pod's port instead of the Service's), addresses (NPV16: a missing prefix; NPP19: the
// canonical CIDR), the case of enum values (NPV05, NPV06, NPV22).

import { parseCidr } from '../../analysis/ipset';
import { get, type PScalar, type PSeq } from '../../model/tree';
import { appendSeqItem, isLiteralNode, isReplaceableScalar, lineStartOf, replaceScalar } from '../yamlEdit';
import { findNode, type Fix, type FixContext, replaceValueFix, scalarAt } from './support';

export function quoteFix(c: FixContext): Fix[] {
  const n = scalarAt(c);
  if (!n || n.style !== 'plain') return [];
  const src = c.text.slice(n.s, n.e);
  // a tag (`!!bool true`) would still decide the type, and a multi-line plain scalar is folded
  const before = c.text.slice(lineStartOf(c.text, n.s), n.s);
  if (/[\r\n]/.test(src) || /!\S*\s+$/.test(before)) return [];
  const q = src.includes('"') || src.includes('\\') ? `'${src.replace(/'/g, "''")}'` : `"${src}"`;
  return [{ title: `Quote ${src} so that it is a string`, edits: [{ s: n.s, e: n.e, text: q }], preferred: true }];
}

export function unquoteFix(c: FixContext): Fix[] {
  const n = scalarAt(c);
  // the integer fields of a NetworkPolicy are ports: 1-65535
  if (
    !n ||
    (n.style !== 'double' && n.style !== 'single') ||
    typeof n.v !== 'string' ||
    !/^\d{1,5}$/.test(n.v) ||
    !isReplaceableScalar(c.text, n)
  ) {
    return [];
  }
  const num = String(Number(n.v));
  if (Number(num) < 1 || Number(num) > 65535) return [];
  return [{ title: `Remove the quotes: ${num} is a number`, edits: [{ s: n.s, e: n.e, text: num }], preferred: true }];
}

export function addUdpFix(c: FixContext): Fix[] {
  const port = c.t.data?.addUdp;
  if (typeof port !== 'number') return [];
  // the ports list whose item (a map with `port`) holds the diagnostic
  let list: PSeq | undefined;
  findNode(c.doc.tree, (n) => {
    if (
      n.t === 'seq' &&
      n.items.some((it) => it.t === 'map' && it.s <= c.t.s && c.t.e <= it.e && get(it, 'port')?.s === c.t.s)
    ) {
      list = n;
    }
    return !!list;
  });
  if (!list || !isLiteralNode(c.text, list)) return [];
  return [
    {
      title: `Also allow UDP ${port}`,
      edits: [appendSeqItem(c.text, list, { protocol: 'UDP', port }, c.st)],
      preferred: true,
    },
  ];
}

/** NPP11: the pod's port (the Service's targetPort), or the named port, for a Service port. */
export function servicePortFixes(c: FixContext): Fix[] {
  const d = c.t.data ?? {};
  const fixes: Fix[] = [];
  const isPort = (v: PScalar['v']): boolean => typeof v === 'number';
  if (typeof d.replacePort === 'number') {
    fixes.push(
      ...replaceValueFix(
        c,
        String(d.replacePort),
        `Use the pod's port ${d.replacePort} (the Service's targetPort)`,
        isPort,
      ),
    );
  }
  if (typeof d.name === 'string') {
    fixes.push(
      ...replaceValueFix(c, d.name, `Use the named port "${d.name}"`, isPort).map((f) => ({ ...f, preferred: false })),
    );
  }
  return fixes;
}

export function addPrefixFix(c: FixContext): Fix[] {
  const prefix = c.t.data?.prefix;
  const n = scalarAt(c);
  if (
    typeof prefix !== 'number' ||
    !n ||
    typeof n.v !== 'string' ||
    n.v.includes('/') ||
    !parseCidr(`${n.v}/${prefix}`) ||
    !isReplaceableScalar(c.text, n)
  ) {
    return [];
  }
  return [
    {
      title: `Add /${prefix}: ${n.v}/${prefix} (this single address)`,
      edits: [replaceScalar(c.text, n, `${n.v}/${prefix}`)],
      preferred: true,
    },
  ];
}

/** NPP19: an ipBlock written with host bits, replaced by its canonical CIDR. */
export function canonicalCidrFix(c: FixContext): Fix[] {
  const canonical = c.t.data?.canonical;
  return typeof canonical === 'string'
    ? replaceValueFix(
        c,
        canonical,
        `Replace with the canonical ${canonical}`,
        (v) => typeof v === 'string' && v !== canonical && parseCidr(v)?.canonical === canonical,
      )
    : [];
}

/** NPV05, NPV06, NPV22: an enum value in the wrong case, replaced by the right one. */
export function caseFix(c: FixContext): Fix[] {
  const to = c.t.data?.replace;
  return typeof to === 'string'
    ? replaceValueFix(
        c,
        to,
        `Change to ${to}`,
        (v) => typeof v === 'string' && v !== to && v.toLowerCase() === to.toLowerCase(),
      )
    : [];
}
