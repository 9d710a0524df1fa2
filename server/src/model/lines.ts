// Lines of a text: the one line-start table that turns offsets into lines and back (documents,
// the tolerant lexer, suppression comments), and the line that separates the documents of a YAML
// stream.

/**
 * A document separator: `---` (a document starts) or `...` (a document ends) at the start of a
 * line, alone or followed by a blank. Tested on a line's text, with or without its `\r`.
 */
export const DOC_SEPARATOR = /^(?:---|\.\.\.)(?:[ \t\r]|$)/;

/** Is this line (its text, without the `\n`) a document separator? */
export function isDocumentSeparator(line: string): boolean {
  return DOC_SEPARATOR.test(line);
}

/** Where each line of a text starts. Lines end at `\n`; a `\r` before it is not part of the line's text. */
export class LineTable {
  /** Offsets of the first character of each line (the first is 0). */
  readonly starts: readonly number[];

  constructor(readonly text: string) {
    const ls = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ls.push(i + 1);
    this.starts = ls;
  }

  /** Number of lines (a text without line breaks, even an empty one, has one). */
  get count(): number {
    return this.starts.length;
  }

  /** The 0-based line of an offset (offsets outside the text count as its first or last line). */
  lineOf(offset: number): number {
    const ls = this.starts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The text of a line without its line break (`\n` or `\r\n`); '' outside the text. */
  line(l: number): string {
    if (l < 0 || l >= this.starts.length) return '';
    const end = l + 1 < this.starts.length ? this.starts[l + 1] - 1 : this.text.length;
    const t = this.text.slice(this.starts[l], end);
    return t.endsWith('\r') ? t.slice(0, -1) : t;
  }
}
