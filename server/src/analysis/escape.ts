// Escaping of manifest strings in what netpol-lens prints. Names, label values, namespaces and
// file paths come from the files analysed, i.e. from pull requests, and Kubernetes' own name
// rules do not hold for invalid objects, label values or paths. In text output (a terminal, a CI
// log) a control character could move the cursor, recolour or rewrite a line, and a line starting
// with `::` is a GitHub Actions workflow command (`::error`, `::add-mask`...; `##[` and `##vso[`
// are the older and the Azure Pipelines forms, recognised anywhere in a line). In Markdown (pull
// request comments, the editor's comparison preview) brackets and parentheses make links and
// images that load a URL, `<` starts HTML, `@name` mentions someone, and `*`, `_`, backticks...
// change the text.

/* eslint-disable no-control-regex -- finding control characters is the point */
// C0 and C1 controls, DEL, and the invisible characters that reorder or break lines
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// the same, newline and tab left alone
const CONTROLS_BUT_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const n = c.charCodeAt(0);
  return NAMED[c] ?? (n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`);
}

/** One line of text: every control character, newlines included, written as a visible escape. */
export function textLine(s: string): string {
  return s.replace(CONTROLS, visible);
}

/**
 * Text output as a whole (the last step before a terminal or a log): control characters other
 * than newline and tab escaped, and CI workflow commands neutralised (a `\` before a `::` that
 * starts a line, `#\#` for `##[` and `##vso[`).
 */
export function terminalSafe(text: string): string {
  return text
    .replace(CONTROLS_BUT_LINES, visible)
    .replace(/^([^\S\n]*)::/gm, '$1\\::')
    .replace(/##(?=\[|vso\[)/gi, '#\\#');
}

/**
 * Text for Markdown (a table cell or a list item): shown exactly as written and never turned into
 * markup. Punctuation Markdown interprets is backslash-escaped, `&`, `<` and `>` become entities,
 * and a zero-width space breaks `@mentions`, `scheme://` and `www.` autolinks.
 */
export function mdText(s: string): string {
  return textLine(s).replace(/[\\`*_{}[\]()#+!|~$^]|[&<>]|@|:(?=\/\/)|www\./gi, (m) => {
    switch (m) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '@':
        return '@&#8203;';
      case ':':
        return '&#8203;:';
      default:
        return m.length > 1 ? `${m.slice(0, 3)}&#8203;.` : `\\${m}`;
    }
  });
}
