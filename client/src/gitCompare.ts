// "NetworkPolicy Lens: Compare Connectivity with Git HEAD": what the working tree (saved or not)
// changes in connectivity compared with the last commit. Reads the changed manifests' HEAD text
// through VS Code's built-in Git extension, asks the server (netpolLens/diff) and opens the Markdown
// report beside the editor.

import * as vscode from 'vscode';
import type { DiffParams, DiffResult } from '../../server/src/protocol';
import { MANIFEST_FILE as MANIFEST } from '../../server/src/protocol/manifestFiles';

/** The part of the Git extension's API (extensions/git/src/api/git.d.ts, version 1) used here. */
interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
  readonly renameUri?: vscode.Uri;
  readonly status: number;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly workingTreeChanges: readonly GitChange[];
    readonly indexChanges: readonly GitChange[];
    readonly untrackedChanges?: readonly GitChange[];
  };
  show(ref: string, path: string): Promise<string>;
}
interface GitApi {
  readonly repositories: readonly GitRepository[];
}

/** Reports are served read-only under this scheme. */
export const REPORT_SCHEME = 'netpol-lens-report';
const reports = new Map<string, string>();
let reportSeq = 0;

/** Registers the provider of report documents (the last few reports are kept). */
export function registerReportProvider(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
    provideTextDocumentContent: (uri) => {
      const text = reports.get(uri.toString());
      // keep memory bounded: the report asked for and the four before it
      for (const k of [...reports.keys()].slice(0, Math.max(0, reports.size - 5))) reports.delete(k);
      return text ?? 'This report is no longer available: run "Compare Connectivity with Git HEAD" again.';
    },
  });
}

/**
 * Base texts of the manifests that may differ from HEAD in a repository: the files Git sees as
 * changed, added or untracked, and the open documents under the repository (their unsaved edits
 * are what the server analyses). HEAD's text, or null when HEAD has no such file.
 */
export async function headVersions(repo: GitRepository, open: readonly vscode.Uri[] = []): Promise<DiffParams['base']> {
  const out = new Map<string, string | null>();
  const root = repo.rootUri.path.endsWith('/') ? repo.rootUri.path : `${repo.rootUri.path}/`;
  const changes = [
    ...repo.state.indexChanges,
    ...repo.state.workingTreeChanges,
    ...(repo.state.untrackedChanges ?? []),
  ];
  const uris: vscode.Uri[] = [];
  for (const ch of changes) {
    uris.push(...[ch.originalUri ?? ch.uri, ch.uri, ch.renameUri].filter((x): x is vscode.Uri => !!x));
  }
  uris.push(...open.filter((u) => u.scheme === 'file' && u.path.startsWith(root)));
  for (const u of uris) {
    if (!MANIFEST.test(u.path) || out.has(u.toString())) continue;
    let text: string | null;
    try {
      text = await repo.show('HEAD', u.fsPath);
    } catch {
      text = null; // not in HEAD: an added, untracked or renamed-to file
    }
    out.set(u.toString(), text);
  }
  return [...out].map(([uri, text]) => ({ uri, text }));
}

export async function compareWithHead(send: (p: DiffParams) => Promise<DiffResult>): Promise<void> {
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  if (!ext) {
    void vscode.window.showWarningMessage(
      'NetworkPolicy Lens: the Git extension is not available, so there is no HEAD to compare with.',
    );
    return;
  }
  let api: GitApi;
  try {
    api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  } catch (e) {
    void vscode.window.showWarningMessage(
      `NetworkPolicy Lens: the Git extension is disabled or failed to start (${(e as Error).message}).`,
    );
    return;
  }
  if (!api.repositories.length) {
    void vscode.window.showInformationMessage('NetworkPolicy Lens: no Git repository is open in this workspace.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'NetworkPolicy Lens: comparing with HEAD' },
    async () => {
      const open = vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => d.uri);
      const base = (await Promise.all(api.repositories.map((r) => headVersions(r, open)))).flat();
      return send({ base, title: 'Connectivity: working tree vs HEAD' });
    },
  );
  // a read-only virtual document (no "save changes?" when it is closed), rendered when the
  // built-in Markdown preview is there, else shown as text
  const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/Connectivity vs HEAD.md', query: String(++reportSeq) });
  reports.set(uri.toString(), result.markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
    });
  }
  if (!result.changes) {
    void vscode.window.showInformationMessage('NetworkPolicy Lens: the changes since HEAD do not change connectivity.');
  }
}
