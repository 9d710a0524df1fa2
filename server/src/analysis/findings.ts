// What the analysis reports about a document: a rule id, a severity, a span and a message.
// Spans are relative to the document's text (see model/document.ts).

import type { ManifestDocument } from '../model/document';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RelatedLocation {
  readonly uri: string;
  /** File offsets are resolved by the caller from the document and its span. */
  readonly doc: ManifestDocument;
  readonly s: number;
  readonly e: number;
  readonly message: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly s: number;
  readonly e: number;
  readonly message: string;
  /** Extra facts for quick fixes (rule specific). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly related?: readonly RelatedLocation[];
  /** Marks unnecessary code (rendered faded) or deprecated code. */
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}
