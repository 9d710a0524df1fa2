// The extension manifest (package.json) against the files it points at and what ships in the
// VSIX (.vscodeignore): icon, walkthrough media, schemas, grammars; command links name declared
// commands; every contributed command is registered by the client.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** Whether .vscodeignore (`**` then `!` re-includes) lets a path into the VSIX. */
function ships(rel: string): boolean {
  let included = true;
  for (const line of ignore) {
    const neg = line.startsWith('!');
    const glob = neg ? line.slice(1) : line;
    const re = new RegExp(
      `^${glob
        .split('**')
        .map((part) =>
          part
            .split('*')
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*'),
        )
        .join('.*')}$`,
    );
    if (re.test(rel)) included = neg;
  }
  return included;
}

describe('extension manifest', () => {
  const commands = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));

  it('points at files that exist and ship in the VSIX', () => {
    const files = [
      pkg.icon,
      pkg.main.replace(/^\.\//, ''),
      ...(pkg.contributes.grammars as Array<{ path: string }>).map((g) => g.path),
      ...(pkg.contributes.jsonValidation as Array<{ url: string }>).map((j) => j.url),
      ...(
        pkg.contributes.walkthroughs as Array<{ steps: Array<{ media: { markdown?: string; image?: string } }> }>
      ).flatMap((w) => w.steps.map((s) => s.media.markdown ?? s.media.image ?? '')),
    ].map((f: string) => f.replace(/^\.\//, ''));
    for (const f of files) {
      assert.ok(f, 'a path');
      if (!f.startsWith('dist/')) assert.ok(existsSync(path.join(root, f)), `${f} exists`);
      assert.ok(ships(f), `${f} ships (.vscodeignore)`);
    }
    assert.ok(
      !ships('server/src/server.ts') &&
        !ships('test/unit/manifest.test.ts') &&
        !ships('node_modules/yaml/package.json'),
      'sources and tests do not ship',
    );
  });

  it('walkthrough command links and completion events name declared commands', () => {
    for (const w of pkg.contributes.walkthroughs as Array<{
      steps: Array<{ description: string; completionEvents?: string[] }>;
    }>) {
      for (const s of w.steps) {
        for (const m of s.description.matchAll(/\(command:([\w.]+)\)/g)) {
          assert.ok(commands.has(m[1]) || m[1].startsWith('workbench.'), `link to ${m[1]}`);
        }
        for (const e of s.completionEvents ?? []) {
          if (e.startsWith('onCommand:')) assert.ok(commands.has(e.slice('onCommand:'.length)), e);
        }
      }
    }
  });

  it('every walkthrough step completes by what the user does: a declared command, a context key the client sets, a link it shows', () => {
    const client = readdirSync(path.join(root, 'client/src'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(root, 'client/src', f), 'utf8'))
      .join('\n');
    const steps = (
      pkg.contributes.walkthroughs as Array<{
        steps: Array<{ id: string; description: string; completionEvents?: string[] }>;
      }>
    ).flatMap((w) => w.steps);
    assert.ok(steps.length >= 5, `${steps.length} steps`);
    for (const s of steps) {
      assert.ok(s.completionEvents?.length, `step ${s.id} has completionEvents`);
      for (const e of s.completionEvents!) {
        const [kind, arg] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
        if (kind === 'onCommand') assert.ok(commands.has(arg), `${s.id}: ${e} names a contributed command`);
        else if (kind === 'onContext') assert.ok(client.includes(`'${arg}'`), `${s.id}: the client sets ${arg}`);
        else if (kind === 'onLink') assert.ok(s.description.includes(`](${arg})`), `${s.id}: the step links ${arg}`);
        else assert.equal(kind, 'onView', `${s.id}: ${e}`);
      }
    }
  });

  it('every contributed command is registered by the client', () => {
    // the client's sources, and the ids of the commands that the server's CodeLenses name
    const client = [
      'client/src/extension.ts',
      'client/src/diagram/controller.ts',
      'client/src/statusMenu.ts',
      'server/src/protocol/commands.ts',
    ]
      .map((f) => readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    for (const c of commands) assert.ok(client.includes(`'${c}'`), `${c} is registered in client/src`);
  });
});
