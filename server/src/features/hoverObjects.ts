// Hovers on what is not a policy: a connectivity expectation (its verdict and what each end
// allows), the pod labels of a workload (the policies that select it, the peers that match it),
// and a Namespace's labels (the namespaceSelectors that match it). Pure.

import { inventoryOf } from '../analysis/inventory';
import { describePorts, isAllPorts, isEmptyPorts } from '../analysis/ports';
import { matches } from '../analysis/selectors';
import { tierLines } from '../analysis/tierExplain';
import { NAME_LABEL, type Workload } from '../analysis/world';
import type { NamespaceObject, WorkloadObject } from '../model/resources';
import { get, type PNode } from '../model/tree';
import { evaluateExpectation, expectationWords } from '../rules/expectations';
import type { PathSeg, TreeCursor } from './cursor';
import { bullets, code, esc, policyLink } from './markdown';
import { dirWord, labelsText, typesOf } from './phrasing';
import { type FeatureContext } from './context';
import { featureIndexOf, type PeerRef } from './featureIndex';
import { plural } from '../model/words';
import { podLabelsPath } from '../model/spans';
import { REF, refLink, ruleLink } from './docLinks';

// ------------------------------------------------------------------------------ expectations

/** An entry of a ConnectivityExpectations document: its verdict, and what each side allows. */
export function expectationHover(ctx: FeatureContext, tc: TreeCursor, root: PNode): string[] | null {
  const [a, i] = tc.path;
  if (a !== 'expectations' || typeof i !== 'number') return null;
  const list = get(root, 'expectations');
  const item = list && list.t === 'seq' ? list.items[i] : undefined;
  if (!item) return null;
  const r = evaluateExpectation(ctx.world, item);
  if (r.kind === 'invalid') {
    return [`**Expectation ${i + 1}**: cannot be checked: ${esc(r.message)} (${ruleLink(ctx, 'NPX08')})`];
  }
  const out = [
    `**Expectation ${i + 1}**: ${code(r.from)} → ${code(r.to)} ${esc(expectationWords(r))}: ${r.met ? '**met**' : `**not met** (${ruleLink(ctx, 'NPX07')})`}; ${esc(r.actually)}.`,
  ];
  const side = (label: string, v: typeof r.verdict.egress, self: string): void => {
    if (!v) return;
    if (v.tiers) {
      // the admin tiers decide first (docs/semantics.md D.5)
      out.push('', `${label}: allows ${esc(describePorts(v.allowed))}; in the order of the tiers:`);
      out.push(...bullets(tierLines(v, self), esc, 12));
      return;
    }
    if (!v.isolatedBy.length) {
      out.push('', `${label}: not isolated (no policy selects it for ${dirWord(v.direction)}): everything is allowed.`);
      return;
    }
    const allowed = isEmptyPorts(v.allowed)
      ? 'nothing'
      : isAllPorts(v.allowed)
        ? 'every port'
        : describePorts(v.allowed);
    out.push(
      '',
      `${label}: allows ${esc(allowed)}; isolated by ${v.isolatedBy
        .slice(0, 4)
        .map((p) => policyLink(p))
        .join(', ')}${v.isolatedBy.length > 4 ? ` and ${v.isolatedBy.length - 4} more` : ''}.`,
    );
  };
  side(`Egress from ${code(r.from)} (to ${code(r.to)})`, r.verdict.egress, r.from);
  side(`Ingress to ${code(r.to)} (from ${code(r.from)})`, r.verdict.ingress, r.to);
  out.push('', 'A connection needs both ends to allow it; replies are implicit.');
  return out;
}

// ------------------------------------------------------------------------------ workloads

function startsWith(path: readonly PathSeg[], prefix: readonly string[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

export function workloadHover(ctx: FeatureContext, tc: TreeCursor, obj: WorkloadObject): string[] | null {
  const lp = podLabelsPath(obj.kind);
  const onLabels = startsWith(tc.path, lp);
  const onName = tc.path.length === 2 && tc.path[0] === 'metadata' && tc.path[1] === 'name';
  if (!onLabels && !onName) {
    if (obj.kind !== 'Pod' && startsWith(tc.path, ['metadata', 'labels'])) {
      return [
        `These are the ${esc(obj.kind)}'s own labels. Policies select pods by the labels of the pod template (\`${lp.join('.')}\`).`,
      ];
    }
    return null;
  }
  const w = ctx.world.workloadOf(obj);
  if (!w) return null;
  return workloadAnswer(
    ctx,
    w,
    onLabels && typeof tc.path[lp.length] === 'string' ? String(tc.path[lp.length]) : undefined,
  );
}

function peerRefLine(r: PeerRef): string {
  const from = r.rule.direction === 'Ingress' ? 'from' : 'to';
  return `${policyLink(r.policy)} ${dirWord(r.rule.direction)} rule ${r.rule.index + 1}, \`${from}\` peer ${r.peer.index + 1}`;
}

function workloadAnswer(ctx: FeatureContext, w: Workload, label: string | undefined): string[] {
  const ix = featureIndexOf(ctx.world);
  const out = [
    `**${esc(w.kind)} ${code(`${w.namespace}/${w.name}`)}** pod labels: ${w.labels && Object.keys(w.labels).length ? code(labelsText(w.labels)) : 'none'}.`,
  ];
  if (label !== undefined && Object.prototype.hasOwnProperty.call(w.labels, label)) {
    out[0] += ` (hovering ${code(`${label}=${w.labels[label]}`)})`;
  }
  const selecting = ix.policiesIn(w.namespace).filter((p) => p.valid && matches(p.podSelector, w.labels));
  out.push('');
  if (!selecting.length) {
    out.push(
      'No policy selects it: it is not isolated, so every incoming connection is accepted and every outgoing one may be opened.',
    );
  } else {
    const ing = selecting.filter((p) => p.types.has('Ingress')).length;
    const eg = selecting.filter((p) => p.types.has('Egress')).length;
    out.push(
      `Selected by ${plural(selecting.length, 'policy', 'policies')} (ingress ${ing ? `isolated by ${ing}` : 'open'}, egress ${eg ? `isolated by ${eg}` : 'open'}):`,
    );
    out.push(...bullets(selecting, (p) => `${policyLink(p)} — ${typesOf(p).map(dirWord).join(', ')}`));
  }
  const refs = ix.peersMatching(w, ctx.token);
  out.push('');
  if (!refs.length) out.push('No peer of any policy matches it.');
  else {
    out.push(`Matched by ${plural(refs.length, 'peer')}:`);
    out.push(...bullets(refs, peerRefLine));
  }
  if (w.hostNetwork) {
    out.push('', `hostNetwork: what policies do to this workload is undefined (${ruleLink(ctx, 'NPP39')}).`);
  }
  return out;
}

export function namespaceHover(ctx: FeatureContext, tc: TreeCursor, obj: NamespaceObject): string[] | null {
  const p = tc.path;
  const on =
    (p.length >= 2 && p[0] === 'metadata' && (p[1] === 'labels' || p[1] === 'name')) ||
    (p.length === 1 && p[0] === 'kind');
  if (!on || !obj.name) return null;
  const ns = ctx.world.namespaces.get(obj.name);
  if (!ns) return null;
  const ix = featureIndexOf(ctx.world);
  const out = [
    `**Namespace ${code(ns.name)}** labels: ${code(labelsText(ns.labels))}${obj.labels[NAME_LABEL] === undefined ? ` (${code(NAME_LABEL)} is added automatically)` : ''}.`,
  ];
  const refs = ix.peersSelectingNamespace(ns.labels);
  out.push('');
  if (!refs.length) out.push('No `namespaceSelector` of any policy matches it.');
  else {
    out.push(`Matched by the \`namespaceSelector\` of ${plural(refs.length, 'peer')}:`);
    out.push(...bullets(refs, peerRefLine));
  }
  const pols = ix.policiesIn(ns.name);
  const wl = inventoryOf(ctx.world).byNamespace.get(ns.name) ?? [];
  out.push(
    '',
    `${plural(wl.length, 'workload')}; ${plural(pols.length, 'policy', 'policies')} in this namespace${pols.length ? ':' : '.'}`,
  );
  if (pols.length) out.push(...bullets(pols, (x) => policyLink(x)));
  out.push('', refLink('targeting a namespace by its name', REF.namespaceByName));
  return out;
}
