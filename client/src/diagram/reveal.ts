// From the diagram to the manifests: a node opens its workload's manifest (a pick list when several
// workloads share the node), an arrow reveals the rule that allows it (a pick list when several do).

import * as vscode from 'vscode';
import type { DiagramLocation, DiagramResult, DiagramRuleRef } from '../../../server/src/protocol/diagram';

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function toRange(l: DiagramLocation): vscode.Range {
  const r = l.range;
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** `file:line` of a location, relative to the workspace. */
function where(l: DiagramLocation): string {
  return `${vscode.workspace.asRelativePath(vscode.Uri.parse(l.uri))}:${l.range.start.line + 1}`;
}

/** The column to open manifests in: an editor column that is not the panel's. */
function editorColumn(panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  const other = vscode.window.visibleTextEditors.find(
    (e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn,
  );
  if (other?.viewColumn) return other.viewColumn;
  return panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

/** Opens a location beside the panel, selected, with the cursor (and the scroll position) at its start. */
async function reveal(loc: DiagramLocation, panelColumn: vscode.ViewColumn | undefined): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(loc.uri, true));
  const range = toRange(loc);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: editorColumn(panelColumn),
    selection: range,
    preserveFocus: false,
  });
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** A click on node `id`: its manifest, a choice among its workloads, or why there is nothing to open. */
export async function openNode(
  r: DiagramResult,
  id: string,
  panelColumn: vscode.ViewColumn | undefined,
): Promise<void> {
  if (!has(r.nodes, id)) return;
  const n = r.nodes[id];
  if (n.workloads.length > 1) {
    const items = n.workloads.flatMap((w) =>
      w.location
        ? [{ label: `${w.namespace}/${w.name}`, description: w.kind, detail: where(w.location), loc: w.location }]
        : [],
    );
    const pick = await vscode.window.showQuickPick(items, {
      placeHolder: `${n.workloads.length} workloads with identical connectivity: open which manifest?`,
      matchOnDescription: true,
    });
    if (pick) await reveal(pick.loc, panelColumn);
    return;
  }
  const loc = n.locations[0];
  if (loc) await reveal(loc, panelColumn);
  else {
    void vscode.window.showInformationMessage(
      n.kind === 'namespace'
        ? `No Namespace manifest declares ${n.namespace}; it exists because objects use it.`
        : `${n.title}: nothing in the workspace to open.`,
    );
  }
}

/** A click on arrow `id` (a reply stands for the arrow it answers): the rule(s) that allow it. */
export async function openEdge(
  r: DiagramResult,
  id: string,
  panelColumn: vscode.ViewColumn | undefined,
): Promise<void> {
  if (!has(r.edges, id)) return;
  let e = r.edges[id];
  if (e.kind === 'reply' && e.replyOf && has(r.edges, e.replyOf)) e = r.edges[e.replyOf];
  const from = has(r.nodes, e.from) ? r.nodes[e.from].title : e.from;
  const to = has(r.nodes, e.to) ? r.nodes[e.to].title : e.to;
  if (!e.rules.length) {
    void vscode.window.showInformationMessage(`${from} → ${to}: ${e.notes[0] ?? 'no rule is involved'}`);
    return;
  }
  if (e.rules.length === 1) {
    await reveal(e.rules[0].location, panelColumn);
    return;
  }
  const describe = (x: DiagramRuleRef): string =>
    `${x.direction} rule ${x.rule + 1}${x.peer !== undefined ? `, peer ${x.peer + 1}` : ''} · ${x.ports}`;
  const items = e.rules.map((x) => ({
    label: `$(shield) ${x.namespace}/${x.policy}`,
    description: describe(x),
    detail: where(x.location),
    rule: x,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: `${from} → ${to}${e.ports ? ` (${e.ports})` : ''}: the rules that allow it`,
    matchOnDescription: true,
  });
  if (pick) await reveal(pick.rule.location, panelColumn);
}
