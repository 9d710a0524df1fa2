// Workspace trust (package.json capabilities.untrustedWorkspaces): netpol-lens works in Restricted
// Mode, and the settings that could hide findings or raise resource limits do not take their
// values from an untrusted workspace (docs/security.md says why these).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('workspace trust', () => {
  it('is limited support with the restricted settings declared and documented', () => {
    const t = pkg.capabilities.untrustedWorkspaces as {
      supported: unknown;
      description: string;
      restrictedConfigurations: string[];
    };
    assert.equal(t.supported, 'limited');
    assert.ok(t.description.length > 40);
    const declared = Object.keys(pkg.contributes.configuration.properties);
    assert.deepEqual([...t.restrictedConfigurations].sort(), [
      'netpolLens.environments',
      'netpolLens.exclude',
      'netpolLens.maxFileSizeMB',
      'netpolLens.render.helm',
      'netpolLens.render.kubectl',
      'netpolLens.render.kustomize',
      'netpolLens.rules',
    ]);
    const doc = readFileSync(path.join(root, 'docs/security.md'), 'utf8');
    for (const k of t.restrictedConfigurations) {
      assert.ok(declared.includes(k), `${k} is a setting`);
      assert.ok(t.description.includes(k), `${k} is in the description`);
      assert.ok(doc.includes(`\`${k}\``), `${k} is in docs/security.md`);
    }
  });
});
