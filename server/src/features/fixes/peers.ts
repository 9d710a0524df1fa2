// Fixes of peers and selectors: merge two peers into one (NPP01, AND), split an ipBlock from a
// selector (NPV14), write `{}` for a null selector (NPP02), select a namespace by its name label
// (NPP24, NPP25), and drop the values of Exists/DoesNotExist (NPV24).

import { NAME_LABEL } from '../../analysis/world';
import { getEntry, type PMap } from '../../model/tree';
import { columnOf, isLiteralKey, isLiteralNode, lineStartOf, removeMapEntry } from '../yamlEdit';
import { addEntry, entryAtKey, findNode, type Fix, type FixContext, setNullValue } from './support';

export function mergePeersFix(c: FixContext): Fix[] {
  const merge = c.t.data?.merge;
  if (!Array.isArray(merge) || merge.length !== 2 || !merge.every((x) => typeof x === 'number')) return [];
  const [a, b] = [...(merge as number[])].sort((x, y) => x - y);
  // the two peers are adjacent items of one sequence
  const seq = findNode(
    c.doc.tree,
    (n) => n.t === 'seq' && n.items.some((it, i) => it.s === a && n.items[i + 1]?.s === b),
  );
  if (!seq || seq.t !== 'seq') return [];
  const i = seq.items.findIndex((it) => it.s === a);
  const first = seq.items[i];
  const second = seq.items[i + 1];
  if (first.t !== 'map' || second.t !== 'map' || !first.entries.length || !second.entries.length) return [];
  if (
    ![first, second].every(
      (m) =>
        isLiteralNode(c.text, m) && m.entries.every((en) => isLiteralKey(c.text, en) && en.ks >= m.s && en.ke <= m.e),
    )
  ) {
    return [];
  }
  const title = 'Merge into one peer (AND: pods matching both selectors)';
  if (first.flow || second.flow) {
    // `{namespaceSelector: …}, {podSelector: …}` -> `{namespaceSelector: …, podSelector: …}`
    if (!first.flow || !second.flow || !seq.flow) return [];
    const between = c.text.slice(first.e - 1, second.s + 1);
    if (!/^\}\s*,\s*\{$/.test(between)) return [];
    return [{ title, edits: [{ s: first.e - 1, e: second.s + 1, text: ', ' }], preferred: false }];
  }
  // block: the second item's dash becomes a space, so its keys join the first item's map
  const ls = lineStartOf(c.text, b);
  const before = c.text.slice(ls, b);
  const dash = before.lastIndexOf('-');
  if (dash === -1 || before.slice(dash + 1).trim() !== '' || before.slice(0, dash).trim() !== '') return [];
  if (columnOf(c.text, first.entries[0].ks) !== columnOf(c.text, second.entries[0].ks)) return [];
  return [{ title, edits: [{ s: ls + dash, e: ls + dash + 1, text: ' ' }], preferred: false }];
}

/**
 * NPV14 (an ipBlock and a selector in one peer): split the item into two peers. The map's entries
 * must form two runs, the ipBlock and the selectors (in either order); the second run gets its own
 * dash. This changes the meaning to OR, which the title says.
 */
export function splitPeerFix(c: FixContext): Fix[] {
  const peer = findNode(
    c.doc.tree,
    (n) => n.t === 'map' && n.entries.some((en) => en.ks === c.t.s) && n.entries.some((en) => en.key === 'ipBlock'),
  );
  if (!peer || peer.t !== 'map' || peer.flow || !isLiteralNode(c.text, peer)) return [];
  const seq = findNode(c.doc.tree, (n) => n.t === 'seq' && n.items.includes(peer));
  if (!seq || seq.t !== 'seq' || seq.flow) return [];
  const entries = peer.entries;
  if (!entries.every((en) => isLiteralKey(c.text, en))) return [];
  const isIp = (k: string): boolean => k === 'ipBlock';
  const isSel = (k: string): boolean => k === 'podSelector' || k === 'namespaceSelector';
  if (!entries.every((en) => isIp(en.key) || isSel(en.key))) return [];
  // exactly one change of group along the entries
  let split = -1;
  for (let i = 1; i < entries.length; i++) {
    if (isIp(entries[i].key) !== isIp(entries[i - 1].key)) {
      if (split !== -1) return [];
      split = i;
    }
  }
  if (split === -1) return [];
  // the first entry follows the item's dash on its line; the split entry starts its own line at
  // the same column, with spaces where the new dash goes
  const first = entries[0];
  const at = entries[split];
  const ls0 = lineStartOf(c.text, first.ks);
  const before0 = c.text.slice(ls0, first.ks);
  const dash = before0.lastIndexOf('-');
  if (dash === -1 || before0.slice(0, dash).trim() !== '' || before0.slice(dash + 1).trim() !== '') return [];
  const ls = lineStartOf(c.text, at.ks);
  if (columnOf(c.text, at.ks) !== columnOf(c.text, first.ks) || c.text.slice(ls, at.ks).trim() !== '') return [];
  const ipFirst = isIp(first.key);
  return [
    {
      title: `Split into two peers: ${ipFirst ? 'the ipBlock OR the selector' : 'the selector OR the ipBlock'} (either one allows the traffic)`,
      edits: [{ s: ls + dash, e: ls + dash + 1, text: '-' }],
      preferred: false,
    },
  ];
}

export function nullToEmptyFix(c: FixContext): Fix[] {
  const hit = entryAtKey(c, c.t.s);
  if (!hit) return [];
  const key = hit.entry.key;
  const edits = setNullValue(c, hit.map, hit.entry, {});
  if (!edits) return [];
  return [
    {
      title:
        hit.entry.value.e > hit.entry.value.s
          ? 'Replace null with {} (select everything)'
          : `Write ${key}: {} (select everything)`,
      edits,
      preferred: true,
    },
  ];
}

export function nameLabelFix(c: FixContext): Fix[] {
  const val = c.t.data?.useNameLabel;
  if (typeof val !== 'string') return [];
  const hit = entryAtKey(c, c.t.s);
  const key = typeof c.t.data?.key === 'string' ? c.t.data.key : 'name';
  if (!hit || hit.entry.key !== key || hit.entry.value.t !== 'scalar' || String(hit.entry.value.v) !== val) return [];
  // with the name label already there, renaming the key would make a duplicate key
  if (getEntry(hit.map, NAME_LABEL)) return [];
  const src = c.text.slice(hit.entry.ks, hit.entry.ke);
  const q = src[0] === '"' || src[0] === "'" ? src[0] : '';
  return [
    {
      title: `Select the namespace by name: ${NAME_LABEL}: ${val}`,
      edits: [{ s: hit.entry.ks, e: hit.entry.ke, text: `${q}${NAME_LABEL}${q}` }],
      preferred: true,
    },
  ];
}

export function addNamespaceSelectorFix(c: FixContext): Fix[] {
  const ns = c.t.data?.addNamespaceSelector;
  if (typeof ns !== 'string') return [];
  const hit = entryAtKey(c, c.t.s);
  if (!hit || hit.entry.key !== 'podSelector' || getEntry(hit.map, 'namespaceSelector')) return [];
  const edit = addEntry(c, hit.map, 'namespaceSelector', { matchLabels: { [NAME_LABEL]: ns } }, hit.entry.key);
  return [
    {
      title: `Look in namespace ${ns}: add namespaceSelector (${NAME_LABEL}: ${ns}) to this peer`,
      edits: [edit],
      preferred: true,
    },
  ];
}

export function removeValuesFix(c: FixContext): Fix[] {
  let map: PMap | undefined;
  findNode(c.doc.tree, (n) => {
    if (n.t === 'map' && n.entries.some((en) => en.key === 'values' && !en.shadowed && en.value.s === c.t.s)) map = n;
    return !!map;
  });
  if (!map || !isLiteralNode(c.text, map)) return [];
  const edit = removeMapEntry(c.text, map, 'values');
  return edit ? [{ title: 'Remove values (Exists/DoesNotExist take none)', edits: [edit], preferred: true }] : [];
}
