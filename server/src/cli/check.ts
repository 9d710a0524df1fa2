// `netpol-lens check`: the editor's diagnostics for CI, as text, JSON or SARIF 2.1.0.

import * as path from 'node:path';
import { textLine } from '../analysis/escape';
import type { Severity } from '../analysis/findings';
import type { World } from '../analysis/world';
import type { ManifestFile } from '../model/document';
import { plural } from '../model/words';
import { checkFile, type DocFinding, RULES } from '../rules/registry';
import type { NetpolSettings } from '../settings';
import type { Skipped } from '../workspace/files';
import { isInsideRel } from './load';

/** What a report says besides the findings: the config file used and the files not read. */
export interface RunInfo {
  /** The config file as printed, if one was read. */
  readonly config?: string;
  readonly skipped: readonly Skipped[];
  /** A path as printed (relative to the working directory when inside it). */
  readonly show: (p: string) => string;
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

export function formatText(results: readonly FileResult[], info?: RunInfo): string {
  const lines: string[] = info?.config !== undefined ? [`config: ${info.config}`] : [];
  let counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of results) {
    const sorted = [...r.findings].sort((a, b) => a.doc.positionAt(a.s).line - b.doc.positionAt(b.s).line || a.s - b.s);
    for (const f of sorted) {
      const p = pos(f).start;
      lines.push(textLine(`${r.path}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.rule}: ${f.message}`));
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

/** The environments a finding comes from (findings of rendered environments list them). */
function environmentsOf(f: DocFinding): { environments?: readonly string[] } {
  const envs = (f as DocFinding & { environments?: readonly string[] }).environments;
  return envs?.length ? { environments: envs } : {};
}

export function formatJson(results: readonly FileResult[], info?: RunInfo): string {
  const out = results.flatMap((r) =>
    r.findings.map((f) => {
      const p = pos(f);
      return {
        file: r.path,
        rule: f.rule,
        name: RULES.get(f.rule)?.name,
        severity: f.severity,
        message: f.message,
        ...environmentsOf(f),
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
  const extra = info
    ? { skipped: info.skipped.map((x) => ({ file: info.show(x.path), reason: x.reason })), config: info.config ?? null }
    : {};
  return `${JSON.stringify({ findings: out, ...extra }, null, 2)}\n`;
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
  info?: RunInfo,
): string {
  const rules = [...RULES.values()];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const helpBase = `${tool.repository.replace(/\.git$/, '')}/blob/main/docs/rules`;
  const toUri = (p: string): string => {
    const rel = path.relative(cwd, p);
    return (isInsideRel(rel) ? rel : p).split(path.sep).join('/');
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
        ...(info ? { invocations: [invocation(info, toUri)] } : {}),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** The SARIF invocation: the files not read as notifications, the config file used. */
function invocation(info: RunInfo, toUri: (p: string) => string): Record<string, unknown> {
  const at = (p: string) => [{ physicalLocation: { artifactLocation: { uri: toUri(p) } } }];
  return {
    executionSuccessful: true,
    toolExecutionNotifications: info.skipped.map((x) => ({
      level: 'warning',
      message: { text: `skipped: ${x.reason}` },
      locations: at(x.path),
    })),
    toolConfigurationNotifications:
      info.config !== undefined
        ? [{ level: 'note', message: { text: `settings read from ${info.config}` }, locations: at(info.config) }]
        : [],
  };
}
