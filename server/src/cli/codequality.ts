// `netpol-lens check --format codequality`: GitLab's Code Quality report, the subset of the Code
// Climate issue format that a merge request shows when the job publishes the file as
// `artifacts:reports:codequality` (docs/ci.md).

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Severity } from '../analysis/findings';
import type { FileResult } from './check';

/** GitLab's scale is info, minor, major, critical, blocker; what the API server rejects ranks highest. */
const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = {
  error: 'major',
  warning: 'minor',
  info: 'info',
  hint: 'info',
};

interface CodeQualityIssue {
  type: 'issue';
  engine_name: 'netpol-lens';
  check_name: string;
  description: string;
  severity: 'major' | 'minor' | 'info';
  fingerprint: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * One issue per finding. The path is relative to `cwd` (the repository root in CI) with forward
 * slashes. The fingerprint, which GitLab uses to tell new issues from old ones between the base
 * and the merge request, hashes the rule, path, message and the finding's rank among identical
 * ones, not its line: an edit above a finding does not make it new.
 */
export function formatCodeQuality(results: readonly FileResult[], cwd: string): string {
  const seen = new Map<string, number>();
  const issues: CodeQualityIssue[] = [];
  for (const r of results) {
    const rel = path.relative(cwd, r.path);
    const file = (rel.startsWith('..') || path.isAbsolute(rel) ? r.path : rel).split(path.sep).join('/');
    const located = r.findings.map((f) => ({
      f,
      start: f.doc.positionAt(f.s),
      end: f.doc.positionAt(Math.max(f.e, f.s)),
    }));
    located.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
    for (const { f, start, end } of located) {
      const key = `${f.rule}\0${file}\0${f.message}`;
      const rank = seen.get(key) ?? 0;
      seen.set(key, rank + 1);
      issues.push({
        type: 'issue',
        engine_name: 'netpol-lens',
        check_name: f.rule,
        description: `${f.rule}: ${f.message}`,
        severity: SEVERITY[f.severity],
        fingerprint: createHash('sha256').update(`${key}\0${rank}`).digest('hex').slice(0, 32),
        location: { path: file, lines: { begin: start.line + 1, end: end.line + 1 } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
