// The Git comparison's client side inside the extension host: which files it sends as the base
// (HEAD texts of changed, untracked and open manifests), with a fake repository standing in for
// the Git extension (the test workbench runs with Git disabled); and the server's answer for them.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { NetpolLensApi } from '../../client/src/extension';
import { headVersions } from '../../client/src/gitCompare';
import { DiffRequest, type DiffResult } from '../../server/src/protocol';

const EXTENSION_ID = 'netpol-lens.netpol-lens';

describe('compare connectivity with Git HEAD', function () {
  this.timeout(60_000);

  it('sends HEAD texts of changed and open manifests, null for files HEAD does not have', async () => {
    const root = vscode.Uri.file('/repo');
    const file = (p: string): vscode.Uri => vscode.Uri.joinPath(root, p);
    const head: Record<string, string> = {
      '/repo/a.yaml': 'a: head\n',
      '/repo/renamed-from.yaml': 'r: head\n',
      '/repo/open.yaml': 'o: head\n',
    };
    const asked: string[] = [];
    const repo = {
      rootUri: root,
      state: {
        indexChanges: [
          {
            uri: file('renamed-to.yaml'),
            originalUri: file('renamed-from.yaml'),
            renameUri: file('renamed-to.yaml'),
            status: 3,
          },
        ],
        workingTreeChanges: [
          { uri: file('a.yaml'), originalUri: file('a.yaml'), status: 5 },
          { uri: file('notes.txt'), originalUri: file('notes.txt'), status: 5 },
        ],
        untrackedChanges: [{ uri: file('new.yml'), originalUri: file('new.yml'), status: 7 }],
      },
      show: async (ref: string, p: string): Promise<string> => {
        assert.equal(ref, 'HEAD');
        asked.push(p);
        if (p in head) return head[p];
        throw new Error(`fatal: path '${p}' exists on disk, but not in 'HEAD'`);
      },
    };
    const base = await headVersions(repo, [
      file('open.yaml'),
      vscode.Uri.file('/elsewhere/x.yaml'),
      vscode.Uri.parse('untitled:Untitled-1'),
    ]);
    const byPath = Object.fromEntries(base.map((b) => [vscode.Uri.parse(b.uri).path, b.text]));
    assert.deepEqual(byPath, {
      '/repo/renamed-from.yaml': 'r: head\n',
      '/repo/renamed-to.yaml': null,
      '/repo/a.yaml': 'a: head\n',
      '/repo/new.yml': null,
      '/repo/open.yaml': 'o: head\n',
    });
    assert.ok(!asked.some((p) => p.endsWith('.txt') || p.startsWith('/elsewhere')), asked.join(', '));
  });

  it('the server compares the workspace with those base texts (netpolLens/diff)', async function () {
    const api = await vscode.extensions.getExtension<NetpolLensApi>(EXTENSION_ID)!.activate();
    await api.ready;
    const folder = vscode.workspace.workspaceFolders![0];
    const uri = vscode.Uri.joinPath(folder.uri, 'shop/policies.yaml');
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.skip(); // another workspace than examples/
      return;
    }
    const client = api.client()!;
    // the base did not have the frontend policy: its public ingress (and more) is what the workspace adds
    const base = text
      .split('\n---\n')
      .filter((d) => !/\n {2}name: frontend\n/.test(d))
      .join('\n---\n');
    assert.notEqual(base, text);
    // by method name: this suite is bundled apart from the extension (see features.test.ts)
    const r = await client.sendRequest<DiffResult>(DiffRequest.method, {
      base: [{ uri: uri.toString(), text: base }],
    });
    assert.ok(r.changes > 0, r.markdown);
    assert.match(
      r.markdown,
      /\| added \| 0\.0\.0\.0-9\.255\.255\.255 \| shop\/frontend\\\[Deployment\\\] \| nothing \| TCP 8080 \|/,
    );
  });
});
