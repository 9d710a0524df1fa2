// `npm run demo`: the extension in a real VS Code (code-server 4.99.4) on the bundled examples/
// workspace. Builds, prints `netpol-lens check` of the workspace, installs the built extension into a throw-away code-server profile bound to
// 127.0.0.1, and prints the address to open in a browser. Ctrl+C stops it and removes the profile.
//
//   npm run demo [-- --workspace DIR]
// Needs `bash test/e2e/setup.sh` (code-server) once; `npm run demo` runs it for you.

import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { exitOnSignals, startCodeServer } from '../test/e2e/lib/launcher';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--workspace');
  const workspace = path.resolve(i >= 0 && args[i + 1] ? args[i + 1] : path.join(root, 'examples'));
  execFileSync(process.execPath, ['scripts/build-grammar.mjs'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  // what the editor will show, in the terminal first (the same engine through the CLI)
  // its environments (Kustomize overlays and Helm charts are rendered with kubectl and helm), then every finding
  for (const cmd of ['environments', 'check']) {
    process.stdout.write(`\n$ netpol-lens ${cmd} ${path.relative(root, workspace) || '.'}\n`);
    spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), cmd, workspace], { cwd: root, stdio: 'inherit' });
  }
  exitOnSignals();
  const cs = await startCodeServer({ extensions: [{ folder: root }], settings: { 'workbench.startupEditor': 'none' } });
  const url = cs.folderUrl(workspace);
  process.stdout.write(
    `\nnetpol-lens is running in VS Code ${'(code-server 4.99.4)'} on ${workspace}\n\n  open ${url}\n\nin a browser on this machine (it listens on 127.0.0.1 only; forward the port with\n\`ssh -L ${cs.port}:127.0.0.1:${cs.port}\` to reach it from elsewhere). Ctrl+C stops it.\n\nTry: open shop/policies.yaml (Problems panel, hovers, inlay hints, quick fixes), then\n"NetworkPolicy Lens: Show Traffic Diagram" from the command palette; tests/connectivity-expectations.yaml\nholds connectivity contracts that are checked as you edit.\n`,
  );
  await new Promise(() => {});
}

main().catch((e) => {
  process.stderr.write(`demo: ${(e as Error).message}\n`);
  process.exit(1);
});
