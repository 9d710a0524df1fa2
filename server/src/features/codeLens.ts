// CodeLens above each policy: "selects N workloads" (shows them) and "isolates ingress, egress ·
// allows from M sources / to K destinations" (opens the diagram on the policy's namespace). Pure:
// the commands are the client's (netpolLens.showSelectedWorkloads, netpolLens.showDiagram).

import type { CodeLens, Location, Range } from 'vscode-languageserver-types';
import { isAdminObject } from '../analysis/adminKinds';
import { inventoryOf } from '../analysis/inventory';
import { documentObjects, normalizedPolicy } from '../analysis/world';
import { get, type PNode } from '../model/tree';
import { evaluateExpectation, isExpectations } from '../rules/expectations';
import { rangeIn } from '../model/spans';
import { plural } from '../model/words';
import { adminLenses } from './codeLensAdmin';
import type { FeatureContext } from './context';
import { featureIndexOf } from './featureIndex';
import { dirWord, typesOf } from './phrasing';
import { allowsPhrase } from './policySummary';
import { workloadLocation } from './navigation';
import { SHOW_DIAGRAM_COMMAND, SHOW_SELECTED_COMMAND } from '../protocol/commands';

/** One location the client lists for "selects N workloads". */
export interface SelectedWorkload {
  readonly uri: string;
  readonly range: Range;
  /** `namespace/name (Kind)` */
  readonly label: string;
}

/**
 * Lenses of a file. Arguments sent:
 * - `netpolLens.showSelectedWorkloads`: [policyUri: string, workloads: SelectedWorkload[], position: {line, character}]
 *   (position: where the policy starts, for `editor.action.showReferences`);
 * - `netpolLens.showDiagram`: [{ namespace: string }].
 */
export function codeLenses(ctx: FeatureContext): CodeLens[] {
  const out: CodeLens[] = [];
  const inv = inventoryOf(ctx.world);
  const ix = featureIndexOf(ctx.world);
  for (const doc of ctx.file.documents) {
    if (ctx.token?.isCancellationRequested) break;
    for (const obj of documentObjects(ctx.file.uri, doc)) {
      if (isExpectations(obj)) {
        out.push(expectationsLens(ctx, obj.node, rangeIn(doc, obj.node.s, obj.node.s)));
        continue;
      }
      if (isAdminObject(obj)) out.push(...adminLenses(ctx, obj));
      if (obj.type !== 'policy') continue;
      const p = ix.policyOf(obj) ?? normalizedPolicy(ctx.world, obj);
      const start = doc.positionAt(obj.node.s);
      const range = rangeIn(doc, obj.node.s, obj.node.s);
      const selected = inv.selectedBy(p);
      const locations: SelectedWorkload[] = [];
      for (const w of selected) {
        const loc: Location | undefined = workloadLocation(w);
        if (loc) locations.push({ uri: loc.uri, range: loc.range, label: `${w.namespace}/${w.name} (${w.kind})` });
      }
      out.push({
        range,
        command: {
          title: selected.length ? `selects ${plural(selected.length, 'workload')}` : 'selects no workload',
          command: SHOW_SELECTED_COMMAND,
          arguments: [obj.uri, locations, start],
        },
      });
      const types = typesOf(p);
      const parts = [types.length ? `isolates ${types.map(dirWord).join(', ')}` : 'isolates nothing'];
      if (!p.valid) parts.push('invalid: not applied');
      else {
        const allows = allowsPhrase(ctx.world, p);
        if (allows) parts.push(allows);
      }
      out.push({
        range,
        command: { title: parts.join(' · '), command: SHOW_DIAGRAM_COMMAND, arguments: [{ namespace: p.namespace }] },
      });
    }
  }
  return out;
}

/** Above a ConnectivityExpectations document: how many entries hold (opens the Problems panel). */
function expectationsLens(ctx: FeatureContext, root: PNode, range: Range): CodeLens {
  const list = get(root, 'expectations');
  const items = list && list.t === 'seq' ? list.items : [];
  let met = 0;
  let failed = 0;
  let invalid = 0;
  for (const item of items) {
    const r = evaluateExpectation(ctx.world, item);
    if (r.kind === 'invalid') invalid++;
    else if (r.met) met++;
    else failed++;
  }
  const parts = [`${met} of ${plural(items.length, 'expectation')} met`];
  if (failed) parts.push(`${failed} not met`);
  if (invalid) parts.push(`${invalid} cannot be checked`);
  return { range, command: { title: parts.join(' · '), command: 'workbench.actions.view.problems' } };
}
