// Builds schemas/netpol-lens-config.schema.json, the JSON schema of the `netpol-lens check` config
// file (.netpol-lens.json / .yaml / .yml), from the settings that package.json declares: the same
// keys without the `netpolLens.` prefix, nested (`dns.port` -> { dns: { port } }), or all of
// them under a `netpolLens` key. Settings that only the editor reads are left out.
//
//   node scripts/build-config-schema.mjs          write the schema
//   node scripts/build-config-schema.mjs --check  write nothing; exit 1 if it is missing or stale
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'schemas', 'netpol-lens-config.schema.json');
/** Settings of the editor only (the diagram panel, the LSP trace, inlay hints). */
export const EDITOR_ONLY = [
  'netpolLens.trace.server',
  'netpolLens.diagram.showReplies',
  'netpolLens.diagram.mergeEquivalent',
  'netpolLens.inlayHints.policyTypes',
  'netpolLens.inlayHints.namedPorts',
];

export function buildSchema(pkg) {
  const settings = {};
  for (const [key, decl] of Object.entries(pkg.contributes.configuration.properties)) {
    if (EDITOR_ONLY.includes(key) || !key.startsWith('netpolLens.')) continue;
    const parts = key.slice('netpolLens.'.length).split('.');
    let node = settings;
    for (const p of parts.slice(0, -1)) {
      node[p] ??= { type: 'object', properties: {}, additionalProperties: false };
      node = node[p].properties;
    }
    // editor-only attributes (scope, order, markdown) are dropped; the description becomes plain text
    const schema = Object.fromEntries(
      Object.entries(decl).filter(([k]) => !['scope', 'order', 'markdownDescription'].includes(k)),
    );
    if (decl.markdownDescription) schema.description = decl.markdownDescription.replace(/`/g, '');
    node[parts.at(-1)] = schema;
  }
  const body = { type: 'object', properties: settings, additionalProperties: false };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/netpol-lens/netpol-lens/schemas/netpol-lens-config.schema.json',
    title: 'netpol-lens check configuration (.netpol-lens.json / .yaml)',
    description:
      'Settings of netpol-lens check: the netpolLens.* settings of the editor without the prefix, or under a netpolLens key. Generated from package.json by scripts/build-config-schema.mjs.',
    oneOf: [
      body,
      { type: 'object', properties: { netpolLens: body }, required: ['netpolLens'], additionalProperties: false },
    ],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const text = `${JSON.stringify(buildSchema(pkg), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    if (!existsSync(OUT) || readFileSync(OUT, 'utf8') !== text) {
      console.error(
        'schemas/netpol-lens-config.schema.json is missing or stale: run node scripts/build-config-schema.mjs',
      );
      process.exit(1);
    }
    console.log('config schema up to date');
  } else {
    writeFileSync(OUT, text);
    console.log('wrote schemas/netpol-lens-config.schema.json');
  }
}
