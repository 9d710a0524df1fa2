// Engine results -> LSP data types (plain types only; no connection here).

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import type { Severity } from '../analysis/findings';
import type { ManifestDocument } from '../model/document';
import type { DocFinding } from '../rules/registry';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function rangeOf(doc: ManifestDocument, s: number, e: number): Range {
  return { start: doc.positionAt(s), end: doc.positionAt(Math.max(s, e)) };
}

/** Where the rule pages live: docs/rules next to dist/ (the extension or package root). */
let docsRoot: string | null = null;
/** Rule id -> page URI (every diagnostic links its rule's page; the URIs are made once). */
const ruleDocUris = new Map<string, string>();
export function setDocsRoot(root: string): void {
  docsRoot = root;
  ruleDocUris.clear();
}

export function ruleDocUri(rule: string): string | undefined {
  if (!docsRoot) return undefined;
  let uri = ruleDocUris.get(rule);
  if (uri === undefined) {
    uri = pathToFileURL(path.join(docsRoot, 'docs', 'rules', `${rule}.md`)).toString();
    ruleDocUris.set(rule, uri);
  }
  return uri;
}

export function toDiagnostic(f: DocFinding): Diagnostic {
  const href = ruleDocUri(f.rule);
  const d: Diagnostic = {
    range: rangeOf(f.doc, f.s, f.e),
    severity: SEVERITY[f.severity],
    code: f.rule,
    source: 'netpol-lens',
    message: f.message,
    data: { rule: f.rule, ...(f.data ?? {}) },
  };
  if (href) d.codeDescription = { href };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: r.uri, range: rangeOf(r.doc, r.s, r.e) },
      message: r.message,
    }));
  }
  if (f.tags?.length) {
    d.tags = f.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  }
  return d;
}
