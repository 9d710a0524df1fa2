// Entry point for `extensionTestsPath`: VS Code loads this module inside the extension host and
// awaits run(). It runs every *.test.js bundled next to it (see test/e2e/run.mjs, which builds this
// folder into out/test/suite/) with mocha 11 (mocha 12 is ESM-only and breaks require('mocha')).
// When NETPOL_E2E_RESULTS names a file, the counts are written there as JSON for the launcher.
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats ?? { passes: 0, failures, pending: 0 };
      const summary = `${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`;
      console.log(summary);
      const out = process.env.NETPOL_E2E_RESULTS;
      if (out) {
        writeFileSync(
          out,
          JSON.stringify({ passed: s.passes, failed: s.failures, skipped: s.pending, files }, null, 2),
        );
      }
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
