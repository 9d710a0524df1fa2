// `netpol-lens check`: the editor's diagnostics for CI, as text, JSON or SARIF 2.1.0.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Severity } from '../analysis/findings';
import type { World } from '../analysis/world';
import type { ManifestFile } from '../model/document';
import { plural } from '../model/words';
import { checkFile, type DocFinding, RULES } from '../rules/registry';
import { type NetpolSettings, readSettings } from '../settings';
import { UsageError } from './args';

export const CONFIG_FILES = ['.netpol-lens.json', '.netpol-lens.yaml', '.netpol-lens.yml'];

/** Finds the config file in `start` or its parents; reads it into settings. */
export function loadConfig(start: string, explicit?: string): { settings: NetpolSettings; path?: string } {
  const tryRead = (p: string): NetpolSettings => {
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read config ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = p.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new UsageError(`cannot parse config ${p}: ${(e as Error).message.split('\n')[0]}`);
    }
    const r = raw as Record<string, unknown> | null;
    return readSettings(r && typeof r === 'object' && 'netpolLens' in r ? r.netpolLens : r);
  };
  if (explicit) return { settings: tryRead(explicit), path: explicit };
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    for (const name of CONFIG_FILES) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return { settings: tryRead(p), path: p };
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { settings: readSettings({}) };
}

export interface FileResult {
  readonly file: ManifestFile;
  readonly path: string;
  readonly findings: DocFinding[];
}

export function runChecks(
  files: readonly ManifestFile[],
  world: World,
  settings: NetpolSettings,
  pathOf: (uri: string) => string,
): FileResult[] {
  return files.map((f) => ({ file: f, path: pathOf(f.uri), findings: checkFile(f, world, settings) }));
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export function reaches(sev: Severity, failOn: 'error' | 'warning' | 'info' | 'hint'): boolean {
  return RANK[sev] >= RANK[failOn];
}

function pos(f: DocFinding): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: f.doc.positionAt(f.s), end: f.doc.positionAt(Math.max(f.e, f.s)) };
}

export function formatText(results: readonly FileResult[]): string {
  const lines: string[] = [];
  let counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of results) {
    const sorted = [...r.findings].sort((a, b) => a.doc.positionAt(a.s).line - b.doc.positionAt(b.s).line || a.s - b.s);
    for (const f of sorted) {
      const p = pos(f).start;
      lines.push(`${r.path}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.rule}: ${f.message}`);
      counts = { ...counts, [f.severity]: counts[f.severity] + 1 };
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  lines.push(
    total
      ? `${plural(total, 'finding')}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info, ${counts.hint} hint(s)`
      : 'no findings',
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(results: readonly FileResult[]): string {
  const out = results.flatMap((r) =>
    r.findings.map((f) => {
      const p = pos(f);
      return {
        file: r.path,
        rule: f.rule,
        name: RULES.get(f.rule)?.name,
        severity: f.severity,
        message: f.message,
        range: {
          start: { line: p.start.line + 1, column: p.start.character + 1 },
          end: { line: p.end.line + 1, column: p.end.character + 1 },
        },
        related: (f.related ?? []).map((rl) => ({
          uri: rl.uri,
          line: rl.doc.positionAt(rl.s).line + 1,
          message: rl.message,
        })),
      };
    }),
  );
  return `${JSON.stringify({ findings: out }, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

export function formatSarif(
  results: readonly FileResult[],
  tool: { version: string; repository: string },
  cwd: string,
): string {
  const rules = [...RULES.values()];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const helpBase = `${tool.repository.replace(/\.git$/, '')}/blob/main/docs/rules`;
  const toUri = (p: string): string => {
    const rel = path.relative(cwd, p);
    return (rel.startsWith('..') || path.isAbsolute(rel) ? p : rel).split(path.sep).join('/');
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol-lens',
            version: tool.version,
            informationUri: tool.repository,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              helpUri: `${helpBase}/${r.id}.md`,
              help: {
                text: r.description,
                markdown: `${r.description}\n\n[${r.id} documentation](${helpBase}/${r.id}.md)`,
              },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { tags: ['kubernetes', 'networkpolicy', ...(r.reference ? [r.reference] : [])] },
            })),
          },
        },
        results: results.flatMap((r) =>
          r.findings.map((f) => {
            const p = pos(f);
            return {
              ruleId: f.rule,
              ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
              level: SARIF_LEVEL[f.severity],
              message: { text: f.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: toUri(r.path) },
                    region: {
                      startLine: p.start.line + 1,
                      startColumn: p.start.character + 1,
                      endLine: p.end.line + 1,
                      endColumn: p.end.character + 1,
                    },
                  },
                },
              ],
            };
          }),
        ),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
