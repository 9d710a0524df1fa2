// Runs inside the extension host of code-server (VS Code 1.99.3): the real extension, the real
// language server, the real workspace. Start it with `npm run test:ext`.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { findEgressWithoutPolicyTypes } from '../e2e/lib/workspace';

const EXTENSION_ID = 'netpol-lens.netpol-lens';
/** The rule the policy file must raise; NETPOL_E2E_EXPECT overrides it. */
const EXPECTED_CODE = process.env.NETPOL_E2E_EXPECT || 'NPP03';

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

/** Resolves with the diagnostics of `uri` once `accept` holds for one of them, or rejects after `ms`. */
function waitForDiagnostic(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic) => boolean,
  ms: number,
): Promise<vscode.Diagnostic> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const hit = vscode.languages.getDiagnostics(uri).find(accept);
      if (hit) {
        done();
        resolve(hit);
      }
      return Boolean(hit);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      const seen = vscode.languages.getDiagnostics(uri).map((d) => `${d.source ?? '?'} ${codeOf(d)}: ${d.message}`);
      reject(
        new Error(
          `no ${EXPECTED_CODE} diagnostic on ${uri.fsPath} within ${ms} ms; diagnostics: ${JSON.stringify(seen)}`,
        ),
      );
    }, ms);
    const done = (): void => {
      clearTimeout(timer);
      sub.dispose();
    };
    check();
  });
}

describe('netpol-lens in the extension host', () => {
  it(`activates as ${EXTENSION_ID}`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(
      ext,
      `${EXTENSION_ID} is not loaded; extensions: ${vscode.extensions.all
        .filter((e) => !e.id.startsWith('vscode.'))
        .map((e) => e.id)
        .join(', ')}`,
    );
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it(`reports ${EXPECTED_CODE} from source netpol-lens on a policy file`, async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open (pass the workspace as the launch argument)');
    const rel = process.env.NETPOL_E2E_FILE || findEgressWithoutPolicyTypes(folder.uri.fsPath);
    assert.ok(rel, `no policy file with egress rules and no policyTypes in ${folder.uri.fsPath}; set NETPOL_E2E_FILE`);
    const uri = vscode.Uri.joinPath(folder.uri, rel);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'yaml');
    const d = await waitForDiagnostic(uri, (x) => codeOf(x) === EXPECTED_CODE, 45_000);
    assert.equal(d.source, 'netpol-lens');
    assert.ok(d.message.length > 0, 'the diagnostic has an empty message');
    assert.ok(
      d.range.start.line < doc.lineCount && d.range.end.line < doc.lineCount,
      `range ${JSON.stringify(d.range)} lies outside the document (${doc.lineCount} lines)`,
    );
    assert.ok(!d.range.isEmpty, 'the diagnostic range is empty');
  });
});
