// CodeLens above an admin-tier policy: "applies to N workloads" (shows them) and its tier,
// priority and rule counts, e.g. "Admin tier · priority 10 · 3 ingress, 1 egress rules" (opens the
// diagram of the namespace of the first workload it applies to). Pure.

import type { CodeLens } from 'vscode-languageserver-types';
import { type AdminObject, adminView } from '../analysis/adminKinds';
import { adminValidationErrors } from '../analysis/adminValidity';
import { rangeIn } from '../model/spans';
import { plural } from '../model/words';
import { SHOW_DIAGRAM_COMMAND, SHOW_SELECTED_COMMAND } from '../protocol/commands';
import { policyLine, subjectWorkloads } from './adminWords';
import type { SelectedWorkload } from './codeLens';
import type { FeatureContext } from './context';
import { workloadLocation } from './navigation';

export function adminLenses(ctx: FeatureContext, obj: AdminObject): CodeLens[] {
  const range = rangeIn(obj.doc, obj.node.s, obj.node.s);
  const selected = subjectWorkloads(ctx.world, obj);
  const locations: SelectedWorkload[] = [];
  for (const w of selected) {
    const loc = workloadLocation(w);
    if (loc) locations.push({ uri: loc.uri, range: loc.range, label: `${w.namespace}/${w.name} (${w.kind})` });
  }
  const valid = adminValidationErrors(obj.node, obj.doc, obj.listIndex !== undefined).length === 0;
  const title = `${policyLine(adminView(obj.kind, obj.node))}${valid ? '' : ' · invalid: not applied'}`;
  return [
    {
      range,
      command: {
        title: selected.length ? `applies to ${plural(selected.length, 'workload')}` : 'applies to no workload',
        command: SHOW_SELECTED_COMMAND,
        arguments: [obj.uri, locations, obj.doc.positionAt(obj.node.s)],
      },
    },
    {
      range,
      command: {
        title,
        command: SHOW_DIAGRAM_COMMAND,
        arguments: [{ namespace: selected[0]?.namespace ?? ctx.world.defaultNamespace }],
      },
    },
  ];
}
