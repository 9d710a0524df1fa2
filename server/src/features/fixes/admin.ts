// Quick fixes of the admin-tier rules (docs/semantics.md D.2, D.6): the action in the spelling of
// the version (NPA11: Allow and Accept swapped, or the case), the tier's case (NPA06), the
// baseline's name (NPA03), the apiVersion that serves the kind (NPA01), a range of one port as a
// number (NPA22), the selector and decoding fixes shared with NetworkPolicy (NPA25, NPA26), and
// the conversion of a v1alpha1 policy to a ClusterNetworkPolicy (NPT07, adminMigration.ts).

import { getEntry, type PMap } from '../../model/tree';
import { isLiteralKey } from '../yamlEdit';
import { migrateFix } from './adminMigration';
import { removeValuesFix } from './peers';
import { findNode, type Fix, type FixContext, replaceValueFix } from './support';
import { caseFix, quoteFix, unquoteFix } from './values';

/** NPA11: the action as the kind spells it (a swap of Allow and Accept, or a case slip). */
function actionFix(c: FixContext): Fix[] {
  const to = c.t.data?.replace;
  if (typeof to !== 'string') return [];
  return replaceValueFix(
    c,
    to,
    `Replace with ${to}`,
    (v) => typeof v === 'string' && v !== to && ['Allow', 'Accept', to.toLowerCase(), to.toUpperCase()].includes(v),
  );
}

/** NPA01: the apiVersion that serves the kind. */
function apiVersionFix(c: FixContext): Fix[] {
  const to = c.t.data?.apiVersion;
  if (typeof to !== 'string') return [];
  return replaceValueFix(c, to, `Change apiVersion to ${to}`, (v) => v !== to);
}

/** NPA22: `range: {start: n, end: n}` written as `number: n`. */
function singlePortFix(c: FixContext): Fix[] {
  const n = c.t.data?.number;
  if (typeof n !== 'number') return [];
  let owner: PMap | undefined;
  findNode(c.doc.tree, (x) => {
    if (x.t === 'map' && getEntry(x, 'range')?.value.s === c.t.s) owner = x;
    return !!owner;
  });
  const en = owner && getEntry(owner, 'range');
  if (!en || !isLiteralKey(c.text, en)) return [];
  let e = en.value.e;
  while (e > en.ks && /\s/.test(c.text[e - 1])) e--;
  if (e !== c.t.e) return [];
  return [
    { title: `Write the single port as number: ${n}`, edits: [{ s: en.ks, e, text: `number: ${n}` }], preferred: true },
  ];
}

export const ADMIN_FIXES: ReadonlyArray<readonly [string, (c: FixContext) => Fix[]]> = [
  ['NPA01', apiVersionFix],
  ['NPA03', (c) => replaceValueFix(c, 'default', 'Rename it to default', (v) => v !== 'default')],
  ['NPA06', caseFix],
  ['NPA11', actionFix],
  ['NPA22', singlePortFix],
  ['NPA25', (c) => (c.t.data?.fix === 'removeValues' ? removeValuesFix(c) : caseFix(c))],
  ['NPA26', (c) => (c.t.data?.fix === 'quote' ? quoteFix(c) : c.t.data?.fix === 'unquote' ? unquoteFix(c) : [])],
  ['NPT07', migrateFix],
];
