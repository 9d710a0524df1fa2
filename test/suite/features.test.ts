// Editor features through VS Code's own provider commands, in the extension host of code-server
// (VS Code 1.99.3) with the examples/ workspace: hover, completion, code actions (applied),
// CodeLens, and the diagram panel.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { NetpolLensApi } from '../../client/src/extension';
import {
  type DiagramResult,
  DiagramRequest,
  type NamespacesResult,
  NamespacesRequest,
} from '../../server/src/protocol';
import * as commands from '../../server/src/protocol/commands';
import { until } from '../support/wait';

const EXTENSION_ID = 'netpol-lens.netpol-lens';

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
    .join('\n');
}

describe('editor features in the extension host', function () {
  this.timeout(120_000);
  let api: NetpolLensApi;
  let folder: vscode.WorkspaceFolder;
  let doc: vscode.TextDocument;

  before(async function () {
    const ext = vscode.extensions.getExtension<NetpolLensApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    folder = vscode.workspace.workspaceFolders![0];
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'payments/policies.yaml'));
    } catch {
      this.skip(); // another workspace than examples/
    }
    const status = await api.ready;
    assert.ok(status.policies >= 10, JSON.stringify(status));
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'payments/policies.yaml'));
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    // leave examples/ as it was on disk
    if (doc?.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  const lineOf = (re: RegExp, from = 0): number => {
    for (let i = from; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
    throw new Error(`no line matches ${re}`);
  };

  it('hovers explain a podSelector with the workloads it selects', async () => {
    const line = lineOf(/^\s+podSelector:$/, lineOf(/name: ledger-sync-egress/));
    const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /app=ledger-sync/);
    assert.match(text, /payments\/ledger-sync/);
  });

  it('shows the defaulted policyTypes as an inlay hint after spec:', async () => {
    const from = lineOf(/name: ledger-sync-egress/);
    const spec = lineOf(/^spec:/, from);
    const range = new vscode.Range(from, 0, Math.min(doc.lineCount - 1, spec + 40), 0);
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider',
      doc.uri,
      range,
    );
    const label = (h: vscode.InlayHint): string =>
      typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
    const types = hints.find((h) => h.position.line === spec);
    assert.ok(
      types,
      `a hint on line ${spec + 1} (have ${hints.map((h) => `${h.position.line + 1}: ${label(h)}`).join('; ')})`,
    );
    assert.equal(label(types), 'policyTypes: [Ingress, Egress]');
    assert.equal(types.position.character, 'spec:'.length);
    // double-clicking it writes policyTypes (the edit of the NPP03 quick fix)
    assert.match(
      (types.textEdits ?? []).map((e) => e.newText).join(''),
      /policyTypes:\s*\n\s*- Ingress\s*\n\s*- Egress/,
    );
  });

  it('completes policyTypes values', async () => {
    const line = lineOf(/^\s+- Ingress$/);
    const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('Ingress'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      pos,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('Egress') || labels.includes('Ingress'), labels.join(', '));
  });

  it('shows a CodeLens above each policy', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(lenses.length >= 4, `${lenses.length} lenses`);
    assert.ok(
      lenses.some((l) => /selects \d+ workload/.test(l.command?.title ?? '')),
      lenses.map((l) => l.command?.title).join(' | '),
    );
  });

  it('offers and applies a quick fix for NPP03, and the warning goes away', async () => {
    const d = await until('NPP03', () => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'NPP03'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => /policyTypes: \[Egress\]/.test(a.title));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /policyTypes:\n\s+- Egress\n\s+egress:/);
    await until(
      'NPP03 to disappear',
      () => !vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'NPP03'),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until('NPP03 to come back after the revert', () =>
      vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'NPP03'),
    );
  });

  it('opens the traffic diagram on a namespace from a command argument', async () => {
    await vscode.commands.executeCommand('netpolLens.showDiagram', { namespace: 'shop' });
    const result = await until('the diagram of shop', () => {
      const r = api.diagram()?.panel?.lastResult;
      return r?.namespace === 'shop' ? r : undefined;
    });
    assert.match(result.mermaid, /^flowchart LR$/m);
    assert.ok(Object.values(result.nodes).some((n) => JSON.stringify(n).includes('frontend')));
    assert.ok(result.namespaces.includes('payments'));
  });

  it("the extension's language client speaks the typed protocol: one namespace per document", async () => {
    const client = api.client();
    assert.ok(client);
    // by method name: this suite is bundled apart from the extension, and a typed object of this
    // bundle's vscode-jsonrpc is not one of the extension's (its parameter structure differs)
    const ns = await client.sendRequest<NamespacesResult>(NamespacesRequest.method, { uri: doc.uri.toString() });
    assert.ok(ns.namespaces.includes('shop'), ns.namespaces.join());
    assert.equal(ns.active, 'payments');
    const d = await client.sendRequest<DiagramResult>(DiagramRequest.method, { uri: doc.uri.toString() });
    assert.equal(d.namespace, ns.active);
    // the commands the server's CodeLenses name are registered
    const registered = await vscode.commands.getCommands(true);
    for (const id of Object.values(commands)) assert.ok(registered.includes(id), id);
  });
});
