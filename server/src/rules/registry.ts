// All rules, their metadata, and running them over a file with the user's settings: severity
// overrides, rules turned off, and suppression comments.

import type { Finding, Severity } from '../analysis/findings';
import { inventoryOf } from '../analysis/inventory';
import type { NormPolicy } from '../analysis/policy';
import { documentObjects, normalizedPolicy, type World } from '../analysis/world';
import type { ManifestDocument, ManifestFile } from '../model/document';
import { LineTable } from '../model/lines';
import type { NetpolSettings } from '../settings';
import { adminRules } from './adminRules';
import { adminTiers } from './adminTiers';
import { adminValidation } from './adminValidation';
import { documentRules } from './documentRules';
import { environmentRules } from './environmentRules';
import { expectations } from './expectations';
import { policyTypes } from './policyTypes';
import { rulesShape } from './rulesShape';
import type { RuleMeta, RuleModule } from './types';
import { validation } from './validation';
import { workspaceRules } from './workspaceRules';

export const RULE_MODULES: readonly RuleModule[] = [
  validation,
  policyTypes,
  rulesShape,
  workspaceRules,
  documentRules,
  expectations,
  environmentRules,
  adminRules,
  adminValidation,
  adminTiers,
];

export const RULES: ReadonlyMap<string, RuleMeta> = new Map(
  RULE_MODULES.flatMap((m) => m.rules.map((r) => [r.id, r] as const)).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
);

export interface DocFinding extends Finding {
  readonly doc: ManifestDocument;
}

// ------------------------------------------------------------------ suppression comments

const SUPPRESS = /(?:^|\s)#\s*netpol-lens-disable(-next-line|-line|-file)?\b([^\n]*)/g;

export interface Suppressions {
  /** Rule ids (or '*') disabled for the whole file. */
  readonly file: ReadonlySet<string>;
  /** Per 0-based file line: rule ids (or '*') disabled on that line. */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

const suppressionCache = new WeakMap<ManifestFile, Suppressions>();

/** The suppression comments of a file (memoised per parsed file). */
export function fileSuppressions(file: ManifestFile): Suppressions {
  let s = suppressionCache.get(file);
  if (!s) suppressionCache.set(file, (s = parseSuppressions(file.text)));
  return s;
}

export function parseSuppressions(text: string): Suppressions {
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  if (!text.includes('netpol-lens-disable')) return { file, lines };
  let table: LineTable | undefined;
  for (const m of text.matchAll(SUPPRESS)) {
    const kind = m[1] ?? '-file';
    const ids = (m[2].match(/\b(NP[A-Z]\d{2})\b/gi) ?? []).map((x) => x.toUpperCase());
    const set = ids.length ? ids : ['*'];
    if (kind === '-file' || m[1] === undefined) {
      for (const id of set) file.add(id);
      continue;
    }
    // the match may start with the whitespace before `#` (the newline ending the previous line
    // when the comment starts a line): take the line of the `#` itself
    const hash = text.indexOf('#', m.index ?? 0);
    const line = (table ??= new LineTable(text)).lineOf(hash) + (kind === '-next-line' ? 1 : 0);
    let s = lines.get(line);
    if (!s) lines.set(line, (s = new Set()));
    for (const id of set) s.add(id);
  }
  return { file, lines };
}

function suppressed(s: Suppressions, rule: string, line: number): boolean {
  if (s.file.has('*') || s.file.has(rule)) return true;
  const l = s.lines.get(line);
  return !!l && (l.has('*') || l.has(rule));
}

// ------------------------------------------------------------------ running

export interface RunOptions {
  /** Called between documents; throwing aborts (cancellation). */
  readonly checkCancelled?: () => void;
}

function levelOf(settings: NetpolSettings, rule: string, severity: Severity): Severity | null {
  const o = settings.rules[rule];
  if (o === 'off') return null;
  return o ?? severity;
}

/** Runs every rule on one document. */
export function checkDocument(
  file: ManifestFile,
  doc: ManifestDocument,
  world: World,
  settings: NetpolSettings,
): Finding[] {
  const objects = documentObjects(file.uri, doc);
  const policies: NormPolicy[] = [];
  for (const o of objects) if (o.type === 'policy') policies.push(normalizedPolicy(world, o));
  const ctx = { file, doc, objects, policies, world, inv: inventoryOf(world), settings };
  const out: Finding[] = [];
  const text = doc.text;
  const report = (f: Finding): void => {
    // a block node's range ends after its line break: end the squiggle at the last character
    let e = Math.min(f.e, text.length);
    while (e > f.s && /\s/.test(text[e - 1])) e--;
    out.push(e === f.e ? f : { ...f, e });
  };
  for (const m of RULE_MODULES) {
    try {
      m.check(ctx, report);
    } catch (e) {
      // a rule must never take the others down; say so on the document instead
      out.push({
        rule: 'NPX02',
        severity: 'info',
        s: 0,
        e: 0,
        message: `internal error in a check (${m.rules[0]?.id ?? '?'}…): ${(e as Error).message}`,
      });
    }
  }
  return out;
}

/** Runs every rule on a file and applies settings and suppression comments. */
export function checkFile(
  file: ManifestFile,
  world: World,
  settings: NetpolSettings,
  opts: RunOptions = {},
): DocFinding[] {
  const out: DocFinding[] = [];
  if (file.skipped) return out;
  const sup = fileSuppressions(file);
  for (const doc of file.documents) {
    opts.checkCancelled?.();
    for (const f of checkDocument(file, doc, world, settings)) {
      const sev = levelOf(settings, f.rule, f.severity);
      if (sev === null) continue;
      if (suppressed(sup, f.rule, doc.positionAt(f.s).line)) continue;
      out.push({ ...f, severity: sev, doc });
    }
  }
  return out;
}
