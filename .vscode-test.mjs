// @vscode/test-cli configuration (`npx vscode-test`): runs test/suite/*.test.ts in the extension
// host of code-server 4.99.4 (VS Code 1.99.3), because Electron builds cannot be downloaded here.
// The "installation" is our shim, which speaks the VS Code CLI that test-cli uses. Build first:
//   node test/e2e/run.mjs build && npx vscode-test
// (`npm run test:ext` does the same through @vscode/test-electron's runTests.)
import { defineConfig } from '@vscode/test-cli';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const examples = path.join(root, 'examples');

export default defineConfig({
  label: 'extension host (code-server)',
  useInstallation: { fromPath: path.join(root, 'out', 'test', 'e2e', 'exthost-runner.js') },
  extensionDevelopmentPath: process.env.NETPOL_E2E_EXTENSION ?? root,
  files: 'out/test/suite/**/*.test.js',
  workspaceFolder: existsSync(examples) ? examples : path.join(root, 'test', 'e2e', 'fixtures', 'workspace'),
  mocha: { ui: 'bdd', timeout: 60_000 },
});
