// The settings schema in package.json, the server's typed settings and the README must agree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, MAX_FILE_SIZE_MB, readSettings } from '../../server/src/settings';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const props: Record<string, { default: unknown; scope?: string }> = pkg.contributes.configuration.properties;
const CLIENT_ONLY = ['netpolLens.trace.server', 'netpolLens.diagram.showReplies', 'netpolLens.diagram.mergeEquivalent'];

function flatten(o: Record<string, unknown>, prefix: string, out: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (k === 'podLabels' || k === 'rules' || Array.isArray(v) || typeof v !== 'object' || v === null) {
      out[`${prefix}${k}`] = v;
    } else flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
  }
  return out;
}

describe('settings', () => {
  const server = flatten(DEFAULT_SETTINGS as unknown as Record<string, unknown>, 'netpolLens.', {});

  it('package.json declares exactly the server settings (plus client-only ones) with the same defaults', () => {
    const declared = Object.keys(props)
      .filter((k) => !CLIENT_ONLY.includes(k))
      .sort();
    assert.deepEqual(declared, Object.keys(server).sort());
    for (const k of declared) assert.deepEqual(props[k].default, server[k], k);
    for (const k of CLIENT_ONLY) assert.ok(props[k], `${k} is declared`);
  });

  it('every setting is documented in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const k of Object.keys(props)) {
      const parts = k.split('.');
      const documented =
        readme.includes(`\`${k}\``) ||
        (parts.length > 2 && readme.includes(`\`${parts.slice(0, 3).join('.')}\``)) ||
        readme.includes(`\`${parts.slice(0, -1).join('.')}.`);
      assert.ok(documented, `${k} is missing from the README`);
    }
  });

  it('reads untrusted input key by key, keeping defaults for bad values', () => {
    const s = readSettings({
      defaultNamespace: 5,
      dns: { namespace: 'dns', port: 99999, podLabels: { a: 'b', c: 3 } },
      podCidrs: ['10.0.0.0/8', 7],
      rules: { npp03: 'off', NPP04: 'loud' },
      maxFileSizeMB: -1,
    });
    assert.equal(s.defaultNamespace, 'default');
    assert.equal(s.dns.namespace, 'dns');
    assert.equal(s.dns.port, 53);
    assert.deepEqual(s.dns.podLabels, { a: 'b' });
    assert.deepEqual(s.podCidrs, ['10.0.0.0/8']);
    assert.deepEqual(s.rules, { NPP03: 'off' });
    assert.equal(s.maxFileSizeMB, 32);
    for (const v of [Infinity, NaN, 0, 513, 1e9]) {
      assert.equal(readSettings({ maxFileSizeMB: v }).maxFileSizeMB, 32, String(v));
    }
    assert.equal(readSettings({ maxFileSizeMB: 512 }).maxFileSizeMB, 512);
    assert.equal((props['netpolLens.maxFileSizeMB'] as { maximum?: number }).maximum, MAX_FILE_SIZE_MB);
    assert.deepEqual(readSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(readSettings({ inlayHints: { policyTypes: 'no', namedPorts: false } }).inlayHints, {
      policyTypes: true,
      namedPorts: false,
    });
  });
});
