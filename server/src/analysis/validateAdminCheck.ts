// What the admin-tier validation steps share (docs/semantics.md D.2): the context of one object's
// validation, reporting with the consequence each rule has, and the label selectors (AV25) and
// `pods` selectors (AV08) of subjects and peers.

import type { PEntry, PMap, PNode } from '../model/tree';
import { get, getEntry } from '../model/tree';
import type { KindSchema } from '../schema';
import type { AdminKind } from './adminKinds';
import type { Finding } from './findings';
import type { Validator } from './validateDecode';
import { labelKeyErrors, labelValueErrors } from './validateNames';

export interface AdminCtx {
  readonly v: Validator;
  readonly kind: AdminKind;
  readonly schema: KindSchema;
  /** A v1alpha2 ClusterNetworkPolicy. */
  readonly v2: boolean;
  /** Errors that leave the policy in the analysis (docs/semantics.md D.1). */
  readonly lenient: Set<Finding>;
  /** Starts of keys reported as misplaced peer fields (the decoder's unknown-field findings there are dropped). */
  readonly misplaced: Set<number>;
}

export type Span = { readonly s: number; readonly e: number };

const REJECTED = 'The API server rejects the policy, so none of it is enforced.';

/** What follows each rule's message: the consequence (default: rejected). */
const CONSEQUENCE: Readonly<Record<string, string>> = {
  NPA08:
    'The API server rejects it; tools that read the manifest anyway (and netpol-lens) take the missing selector as {}, which selects every pod.',
  NPA24:
    'The CRDs up to v0.2.0 do not check it yet, but implementations do not support it; netpol-lens leaves the policy out of the analysis.',
};

/** What follows the syntax errors of a selector: the CRD does not check them, the network plugin needs them. */
export const UNUSABLE =
  'The API server accepts it, but the network plugin cannot use the selector; netpol-lens leaves the policy out of the analysis.';

/** Reports an error of rule `rule` followed by its consequence (the rule's, or `consequence`). */
export function err(
  c: AdminCtx,
  rule: string,
  n: Span,
  message: string,
  data?: Record<string, unknown>,
  consequence?: string,
): Finding {
  c.v.add(rule, 'error', n, `${message} ${consequence ?? CONSEQUENCE[rule] ?? REJECTED}`, data);
  const f = c.v.findings[c.v.findings.length - 1];
  if (rule === 'NPA08') c.lenient.add(f);
  return f;
}

/** Absent, null or "": what a required field may not be. */
export function isMissing(n: PNode | undefined): boolean {
  return !n || (n.t === 'scalar' && (n.v === null || n.v === ''));
}

/** Present and not null. */
export function isSet(n: PNode | undefined): boolean {
  return !!n && !(n.t === 'scalar' && n.v === null);
}

export function keyOf(en: { readonly ks: number; readonly ke: number }): Span {
  return { s: en.ks, e: en.ke };
}

/** Where to report a field missing from a map: the key of `near` when there is one, else the map's first key. */
export function missingAt(m: PMap, near: string): Span {
  const en = getEntry(m, near) ?? m.entries[0];
  return en ? keyOf(en) : { s: m.s, e: m.s };
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** AV25: labels (a matchLabels map, or the object's own labels). */
export function checkLabelMap(c: AdminCtx, m: PNode, path: string, consequence = UNUSABLE): void {
  if (m.t !== 'map') return;
  for (const en of m.entries) {
    if (en.shadowed) continue;
    for (const msg of labelKeyErrors(en.key)) {
      err(c, 'NPA25', keyOf(en), `${path}: Invalid value "${en.key}": ${msg}.`, undefined, consequence);
    }
    const val = en.value;
    if (val.t === 'scalar' && typeof val.v === 'string') {
      for (const msg of labelValueErrors(val.v)) {
        err(c, 'NPA25', val, `${path}: Invalid value "${val.v}": ${msg}.`, undefined, consequence);
      }
    }
  }
}

/** AV25: the syntax of a label selector (apimachinery's rules; the CRD checks less, the implementation needs them). */
export function checkSelector(c: AdminCtx, sel: PNode, path: string): void {
  if (sel.t !== 'map') return;
  const ml = get(sel, 'matchLabels');
  if (ml) checkLabelMap(c, ml, `${path}.matchLabels`);
  const me = get(sel, 'matchExpressions');
  if (!me || me.t !== 'seq') return;
  me.items.forEach((req, i) => {
    if (req.t === 'map') checkRequirement(c, req, `${path}.matchExpressions[${i}]`);
  });
}

function checkRequirement(c: AdminCtx, req: PMap, p: string): void {
  const keyEn = getEntry(req, 'key');
  const key = keyEn?.value;
  if (isMissing(key)) {
    err(
      c,
      'NPA25',
      keyEn ? keyOf(keyEn) : missingAt(req, 'operator'),
      `${p}.key: Required value: the label key the requirement tests.`,
    );
  } else if (key && key.t === 'scalar' && typeof key.v === 'string') {
    for (const msg of labelKeyErrors(key.v)) {
      err(c, 'NPA25', key, `${p}.key: Invalid value "${key.v}": ${msg}.`, undefined, UNUSABLE);
    }
  }
  const opEn = getEntry(req, 'operator');
  const op = opEn?.value;
  const valsN = get(req, 'values');
  const vals = valsN && valsN.t === 'seq' ? valsN.items : [];
  if (isMissing(op)) {
    err(
      c,
      'NPA25',
      opEn ? keyOf(opEn) : missingAt(req, 'key'),
      `${p}.operator: Required value: one of ${OPERATORS.join(', ')}.`,
    );
  } else if (op && op.t === 'scalar' && typeof op.v === 'string') {
    checkOperator(c, op, op.v, valsN, vals.length, p);
  }
  vals.forEach((val, j) => {
    if (val.t === 'scalar' && typeof val.v === 'string') {
      for (const msg of labelValueErrors(val.v)) {
        err(c, 'NPA25', val, `${p}.values[${j}]: Invalid value: "${val.v}": ${msg}.`, undefined, UNUSABLE);
      }
    }
  });
}

function checkOperator(c: AdminCtx, opN: PNode, op: string, valsN: PNode | undefined, n: number, p: string): void {
  if (op === 'In' || op === 'NotIn') {
    if (n === 0) {
      const msg = `${p}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'.`;
      err(c, 'NPA25', valsN ?? opN, msg, undefined, UNUSABLE);
    }
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (n > 0) {
      const msg = `${p}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'.`;
      err(c, 'NPA25', valsN!, msg, { fix: 'removeValues' }, UNUSABLE);
    }
  } else {
    const canon = OPERATORS.find((o) => o.toLowerCase() === op.toLowerCase());
    err(
      c,
      'NPA25',
      opN,
      `${p}.operator: Invalid value: "${op}": not a valid selector operator (${OPERATORS.join(', ')}).${canon ? ` Operators are case-sensitive: use "${canon}".` : ''}`,
      canon ? { replace: canon } : undefined,
      UNUSABLE,
    );
  }
}

/** AV08 and AV25: `pods` of a subject or a peer (v1alpha1 requires both selectors, v1alpha2 the podSelector). */
export function checkPods(c: AdminCtx, podsEn: PEntry, path: string): void {
  const pods = podsEn.value;
  if (pods.t !== 'map') return;
  for (const sel of ['namespaceSelector', 'podSelector'] as const) {
    const en = getEntry(pods, sel);
    if (en && isSet(en.value)) checkSelector(c, en.value, `${path}.${sel}`);
    else if (sel === 'podSelector' || !c.v2) {
      const fix =
        sel === 'podSelector'
          ? 'Write podSelector: {} for every pod of those namespaces, or use a namespaces selector instead of pods.'
          : 'Write namespaceSelector: {} for every namespace.';
      err(c, 'NPA08', en ? keyOf(en) : keyOf(podsEn), `${path}.${sel}: Required value. ${fix}`);
    }
  }
}
