// The JSON schema of the `netpol-lens check` config file (schemas/netpol-lens-config.schema.json):
// generated from package.json and up to date, accepted by a JSON-schema validator, and in step
// with what readSettings reads.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/settings';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const committed = JSON.parse(readFileSync(path.join(root, 'schemas/netpol-lens-config.schema.json'), 'utf8'));

describe('config file schema', () => {
  let build: { buildSchema: (p: unknown) => Record<string, unknown>; EDITOR_ONLY: readonly string[] };
  before(async () => {
    build = await import('../../scripts/build-config-schema.mjs');
  });

  it('is generated from package.json and committed up to date', () => {
    assert.deepEqual(committed, build.buildSchema(pkg), 'run node scripts/build-config-schema.mjs');
  });

  it('covers every setting that check reads, and package.json points VS Code at it', () => {
    const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v) && k !== 'podLabels' && k !== 'rules'
          ? keys(v as Record<string, unknown>, `${prefix}${k}.`)
          : [`${prefix}${k}`],
      );
    const server = keys(DEFAULT_SETTINGS as unknown as Record<string, unknown>)
      .map((k) => `netpolLens.${k}`)
      .filter((k) => !build.EDITOR_ONLY.includes(k))
      .sort();
    const body = (committed.oneOf as Array<{ properties: Record<string, unknown> }>)[0];
    const schemaKeys = (o: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => {
        const d = v as { type?: string; properties?: Record<string, unknown> };
        return d.type === 'object' && d.properties ? schemaKeys(d.properties, `${prefix}${k}.`) : [`${prefix}${k}`];
      });
    assert.deepEqual(
      schemaKeys(body.properties)
        .map((k) => `netpolLens.${k}`)
        .sort(),
      server,
    );
    const jv = pkg.contributes.jsonValidation as Array<{ fileMatch: string; url: string }>;
    assert.ok(
      jv.some((j) => j.fileMatch === '.netpol-lens.json' && j.url === './schemas/netpol-lens-config.schema.json'),
    );
    assert.match(
      readFileSync(path.join(root, '.vscodeignore'), 'utf8'),
      /^!schemas\/\*\.json$/m,
      'the schema ships in the VSIX',
    );
  });

  it('accepts the configurations check reads and rejects typos and bad values', () => {
    const validate = new Ajv({ strict: false }).compile(committed);
    const ok = [
      {},
      { rules: { NPP36: 'off', NPP03: 'error' }, defaultNamespace: 'apps' },
      {
        netpolLens: { dns: { namespace: 'dns', port: 5353, podLabels: { app: 'coredns' } }, podCidrs: ['10.0.0.0/8'] },
      },
      { exclude: ['charts/**'], maxFileSizeMB: 8, dualStack: true, serviceCidrs: [] },
    ];
    for (const c of ok) {
      assert.ok(validate(c), `${JSON.stringify(c)}: ${JSON.stringify(validate.errors)}`);
      assert.ok(readSettings('netpolLens' in c ? c.netpolLens : c));
    }
    for (const c of [
      { rule: { NPP36: 'off' } },
      { rules: { NPP36: 'loud' } },
      { dns: { port: 0 } },
      { maxFileSizeMB: 'big' },
      { netpolLens: { typo: 1 } },
    ]) {
      assert.equal(validate(c), false, JSON.stringify(c));
    }
  });
});
