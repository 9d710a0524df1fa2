// Fixes of the object itself: the apiVersion of a NetworkPolicy (NPP45) and its missing or empty
// metadata.namespace (NPP34).

import { get, getEntry } from '../../model/tree';
import { columnOf, isLiteralKey, isLiteralNode, isReplaceableScalar, lineStartOf, replaceScalar } from '../yamlEdit';
import { addEntry, type Fix, type FixContext, setNullValue } from './support';

const API_VERSION = 'networking.k8s.io/v1';

export function apiVersionFix(c: FixContext): Fix[] {
  const root = c.policy?.obj.node;
  if (!root || !isLiteralNode(c.text, root)) return [];
  const en = getEntry(root, 'apiVersion');
  if (en && !isLiteralKey(c.text, en)) return [];
  if (en && en.value.t === 'scalar' && en.value.v !== null) {
    if (!isReplaceableScalar(c.text, en.value)) return [];
    return [
      {
        title: `Change apiVersion to ${API_VERSION}`,
        edits: [replaceScalar(c.text, en.value, API_VERSION)],
        preferred: true,
      },
    ];
  }
  if (en) {
    const edits = setNullValue(c, root, en, API_VERSION);
    return edits ? [{ title: `Set apiVersion: ${API_VERSION}`, edits, preferred: true }] : [];
  }
  if (root.flow) {
    return [
      {
        title: `Add apiVersion: ${API_VERSION}`,
        edits: [addEntry(c, root, 'apiVersion', API_VERSION)],
        preferred: true,
      },
    ];
  }
  const first = root.entries[0];
  if (!first || !isLiteralKey(c.text, first)) return [];
  const at = lineStartOf(c.text, first.ks);
  // the first key starts its line (a List item's first key follows its dash: then add after kind)
  if (c.text.slice(at, first.ks).trim() !== '') {
    return [
      {
        title: `Add apiVersion: ${API_VERSION}`,
        edits: [addEntry(c, root, 'apiVersion', API_VERSION, 'kind')],
        preferred: true,
      },
    ];
  }
  return [
    {
      title: `Add apiVersion: ${API_VERSION}`,
      edits: [{ s: at, e: at, text: `${' '.repeat(columnOf(c.text, first.ks))}apiVersion: ${API_VERSION}${c.st.eol}` }],
      preferred: true,
    },
  ];
}

export function addNamespaceFix(c: FixContext): Fix[] {
  const ns = c.t.data?.addNamespace;
  const meta = c.policy ? get(c.policy.obj.node, 'metadata') : undefined;
  if (typeof ns !== 'string' || !meta || meta.t !== 'map' || !isLiteralNode(c.text, meta)) return [];
  const title = `Set metadata.namespace: ${ns}`;
  const en = getEntry(meta, 'namespace');
  if (!en) return [{ title, edits: [addEntry(c, meta, 'namespace', ns, 'name')], preferred: true }];
  if (!isLiteralKey(c.text, en)) return [];
  // `namespace:` (null) or `namespace: ""`
  if (en.value.t === 'scalar' && en.value.v === '' && isReplaceableScalar(c.text, en.value)) {
    return [{ title, edits: [replaceScalar(c.text, en.value, ns)], preferred: true }];
  }
  const edits = setNullValue(c, meta, en, ns);
  return edits ? [{ title, edits, preferred: true }] : [];
}
