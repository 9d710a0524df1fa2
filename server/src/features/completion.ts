// Completion: keys valid at the cursor (the kind's schema, the label parts of workloads and
// namespaces), enum values, label keys and values that exist in the workspace, named ports of the
// destination workloads, and snippets of the common policies. Reads the text around the cursor
// (lineCursor), so it works in documents broken mid-edit. Pure.

import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { CompletionItemKind } from 'vscode-languageserver-types';
import { get, str } from '../model/tree';
import { DEFAULT_KIND, type FieldSpec, KINDS, objectSpec, resolvePath, schemaForKind } from '../schema';
import { kindAtPath, lineCursor, objectAt, type PathSeg, type Position } from './cursor';
import { type FeatureContext } from './context';
import { featureIndexOf } from './featureIndex';
import { podLabelsPath } from '../model/spans';
import { type Ctx, enumItems, keyItems, nodeAtPath, policyNamespace, shapeOf, valueItem } from './completionItems';
import { snippetItems } from './completionSnippets';
import {
  labelKeyItems,
  labelKeyValueItems,
  labelValueItems,
  portItems,
  requirementValueItems,
  selectorVocab,
} from './completionWorkspace';
import { detectStyle, type Style } from './yamlEdit';

// ------------------------------------------------------------------------------ kinds of the schema

/** Keys, enum values and workspace values where the kind's schema says what goes. */
function schemaCompletion(c: Ctx): void {
  const path = c.objPath;
  const t = c.schema && resolvePath(c.schema, path);
  if (!t) return;
  if (c.lc.on === 'key') {
    if (t.t === 'object') {
      if (path.length === 0 && c.lc.column === 0 && !c.kind) snippetItems(c);
      keyItems(c, objectSpec(c.schema!, t.type).fields);
    } else if (t.t === 'field') {
      const shape = shapeOf(t.field);
      const sub = typeof t.field.type === 'object' && 'object' in t.field.type ? t.field.type.object : undefined;
      if (sub) keyItems(c, objectSpec(c.schema!, sub).fields);
      else if (shape === 'labels') {
        const what = t.selects === 'namespaces' ? 'namespaces' : 'workloads';
        labelKeyItems(c, selectorVocab(c, t.selects, path.slice(0, -1)), what, c.lc.siblings);
      } else if (shape === 'seqscalar') listItems(c, t.field, path);
    } else if (t.t === 'item') listItems(c, t.field, path.slice(0, -1));
    return;
  }
  // a value after `key:`
  if (t.t === 'label') {
    const what = t.selects === 'namespaces' ? 'namespaces' : 'workloads';
    labelValueItems(c, selectorVocab(c, t.selects, path.slice(0, -2)), t.key, what);
    return;
  }
  if (t.t !== 'field') return;
  if (t.field.enum && shapeOf(t.field) === 'scalar') enumItems(c, kindValues(c, t.field.enum));
  else if (t.field.values === 'namespaces') {
    [...c.fc.world.namespaces.keys()]
      .sort()
      .forEach((n, i) => valueItem(c, n, CompletionItemKind.Module, 'namespace in the workspace', undefined, i));
  } else if (t.field.values === 'labelKeys') labelKeyValueItems(c, path);
  else if (t.field.values === 'namedPorts') portItems(c, path);
}

/** At `kind:` of a document without a kind yet: the kinds its apiVersion serves (else `values`). */
function kindValues(c: Ctx, values: readonly string[]): readonly string[] {
  if (c.kind || c.objPath.length !== 1 || c.objPath[0] !== 'kind') return values;
  const api = str(get(c.doc.tree ?? undefined, 'apiVersion'));
  const served = KINDS.filter((k) => k.apiVersion === api).map((k) => k.kind);
  return served.length ? served : values;
}

/** Items of a list of scalars (at `listPath`): its enum values not written yet, or workspace values. */
function listItems(c: Ctx, field: FieldSpec, listPath: readonly PathSeg[]): void {
  const prefix = c.lc.inSeqItem || c.lc.inFlow ? '' : `- `;
  if (field.enum) {
    const present = new Set<string>();
    const list = nodeAtPath(c, listPath);
    if (list && list.t === 'seq') {
      for (const it of list.items) if (it.t === 'scalar' && typeof it.v === 'string') present.add(it.v);
    }
    present.delete(c.lc.prefix); // the value being typed is offered again
    enumItems(c, field.enum, present, prefix);
  } else if (field.values === 'labelValues') requirementValueItems(c, listPath, prefix);
}

// ------------------------------------------------------------------------------ other kinds

const POD_LABELS: FieldSpec = {
  type: { stringMap: true },
  format: 'labels',
  doc: 'Labels of the pods: what `podSelector`s match.',
};
const NAMESPACE_LABELS: FieldSpec = {
  type: { stringMap: true },
  format: 'labels',
  doc: 'Labels of the namespace: what `namespaceSelector`s match.',
};

function workloadCompletion(c: Ctx, kind: string): void {
  const lp = podLabelsPath(kind);
  const path = c.objPath;
  const ns = policyNamespace(c);
  const ix = featureIndexOf(c.fc.world);
  if (eqPath(path, lp)) {
    if (c.lc.on === 'key') labelKeyItems(c, ix.podSelectorVocab(ns), 'selectors', c.lc.siblings);
    return;
  }
  if (
    c.lc.on === 'value' &&
    path.length === lp.length + 1 &&
    eqPath(path.slice(0, -1), lp) &&
    typeof path[lp.length] === 'string'
  ) {
    labelValueItems(c, ix.podSelectorVocab(ns), String(path[lp.length]), 'selectors');
    return;
  }
  if (c.lc.on === 'key' && eqPath(path, lp.slice(0, -1)) && !c.lc.siblings.has('labels')) {
    keyItems(c, { labels: POD_LABELS });
  }
}

function namespaceCompletion(c: Ctx): void {
  const path = c.objPath;
  const ix = featureIndexOf(c.fc.world);
  if (eqPath(path, ['metadata', 'labels']) && c.lc.on === 'key') {
    labelKeyItems(c, ix.namespaceSelectorVocab(), 'namespaceSelectors', c.lc.siblings);
  } else if (
    path.length === 3 &&
    eqPath(path.slice(0, 2), ['metadata', 'labels']) &&
    c.lc.on === 'value' &&
    typeof path[2] === 'string'
  ) {
    labelValueItems(c, ix.namespaceSelectorVocab(), path[2], 'namespaceSelectors');
  } else if (eqPath(path, ['metadata']) && c.lc.on === 'key' && !c.lc.siblings.has('labels')) {
    keyItems(c, { labels: NAMESPACE_LABELS });
  }
}

function eqPath(a: readonly PathSeg[], b: readonly PathSeg[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The keys of a ConnectivityExpectations entry (checked by rules/expectations.ts, not by the schema). */
const EXPECTATION: Readonly<Record<string, FieldSpec>> = {
  from: {
    type: 'string',
    doc: 'Where the connection starts: `namespace/name` of a workload (optionally `namespace/name[Kind]`), or an IP address.',
  },
  to: { type: 'string', doc: 'Where it goes: `namespace/name` of a workload, or an IP address.' },
  port: {
    type: 'intOrString',
    doc: 'Optional: `PORT` or `PORT/PROTOCOL` (TCP by default). Without it, `allowed: true` needs some port and `allowed: false` needs none.',
  },
  allowed: {
    type: 'bool',
    doc: 'Whether the connection must be allowed (`true`) or denied (`false`).',
    enum: ['true', 'false'], // the spellings completion offers
  },
};

/** ConnectivityExpectations documents: the entry keys, workload references, true/false. */
function expectationsCompletion(c: Ctx): void {
  const path = c.objPath;
  const inItem = path.length === 2 && path[0] === 'expectations' && typeof path[1] === 'number';
  if (inItem && c.lc.on === 'key') {
    keyItems(c, EXPECTATION);
  } else if (
    path.length === 3 &&
    path[0] === 'expectations' &&
    (path[2] === 'from' || path[2] === 'to') &&
    c.lc.on === 'value'
  ) {
    for (const w of c.fc.world.workloads) {
      valueItem(
        c,
        `${w.namespace}/${w.name}`,
        CompletionItemKind.Reference,
        w.kind,
        `${w.kind} ${w.namespace}/${w.name}`,
      );
    }
  } else if (path.length === 3 && path[0] === 'expectations' && path[2] === 'allowed' && c.lc.on === 'value') {
    valueItem(c, 'true', CompletionItemKind.Value, 'must be allowed');
    valueItem(c, 'false', CompletionItemKind.Value, 'must be denied');
  } else if (path.length === 1 && path[0] === 'expectations' && c.lc.on === 'key' && c.lc.inSeqItem) {
    keyItems(c, EXPECTATION);
  }
}

// ------------------------------------------------------------------------------ entry

const styles = new WeakMap<object, Style>();

/** The file's indentation style (read from its start; memoised per parsed file). */
function styleOf(file: { text: string }): Style {
  let st = styles.get(file);
  if (!st) styles.set(file, (st = detectStyle(file.text.length > 20000 ? file.text.slice(0, 20000) : file.text)));
  return st;
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
]);

/** Completion items at a position (never throws on broken text). */
export function completion(ctx: FeatureContext, pos: Position): CompletionList {
  const items: CompletionItem[] = [];
  const out: CompletionList = { isIncomplete: false, items };
  if (ctx.file.format === 'json') return out;
  const lc = lineCursor(ctx.file, pos);
  if (!lc) return out;
  const doc = lc.doc;
  if (doc.kind === 'template') return out;
  const { kind, objPath } = kindAtPath(doc, lc.path);
  const obj = doc.tree ? objectAt(ctx.file, doc, lc.offset) : undefined;
  const apiVersion = str(get(obj?.node, 'apiVersion'));
  const c: Ctx = {
    fc: ctx,
    lc,
    doc,
    style: styleOf(ctx.file),
    obj: obj && (!kind || obj.kind === kind) ? obj : undefined,
    kind,
    schema: kind ? schemaForKind(kind, apiVersion) : DEFAULT_KIND,
    objPath,
    items,
  };
  if (c.schema) schemaCompletion(c);
  else if (kind && WORKLOAD_KINDS.has(kind)) workloadCompletion(c, kind);
  else if (kind === 'Namespace') namespaceCompletion(c);
  else if (kind === 'ConnectivityExpectations') expectationsCompletion(c);
  return out;
}
