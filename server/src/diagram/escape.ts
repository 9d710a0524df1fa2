// Text that goes into Mermaid: every manifest string passes through escapeMermaid before it enters
// the flowchart (labels, arrow labels, subgraph titles), clip shortens long names, and
// commentSafe keeps %% comments free of anything mermaid could read as a directive.

/** Characters that stay as they are in Mermaid text; everything else ASCII becomes `#NN;`. */
const SAFE_ASCII = /^[A-Za-z0-9 .,_/=+@!?*~^$'-]$/;
/** Non-ASCII characters that are encoded too: bidi/invisible controls, line separators, and the
 *  characters of mermaid's own entity placeholders (so that they cannot be forged). */
const ENCODE_NON_ASCII: ReadonlyArray<readonly [number, number]> = [
  [0xa0, 0xa0],
  [0xad, 0xad],
  [0xb6, 0xb6],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfb02, 0xfb02],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];
const mustEncode = (cp: number): boolean => ENCODE_NON_ASCII.some(([lo, hi]) => cp >= lo && cp <= hi);

/**
 * Escapes text from a manifest for use inside a quoted Mermaid label (`["..."]`, `|"..."|`).
 * Only letters, digits and a few harmless punctuation characters pass; everything else is written
 * as a numeric entity, which mermaid turns into an HTML character reference: `<img onerror=..>`,
 * quotes, `%%{init}%%`, `#quot;`, backticks and brackets all show as text. `keep` lists ASCII
 * characters to leave alone in text we generated ourselves (`:` in IPv6 addresses).
 */
export function escapeMermaid(s: string, keep = ''): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 32 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) out += ' ';
    else if (cp < 128) out += SAFE_ASCII.test(ch) || keep.includes(ch) ? ch : `#${cp};`;
    else if (mustEncode(cp)) out += `#${cp};`;
    else out += ch;
  }
  return out;
}

/** Shortens to `max` characters (code points), with an ellipsis. */
export function clip(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join('')}…`;
}

/** For %% comments: never a manifest string verbatim (mermaid scans the text for %%{ directives). */
export function commentSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '?');
}
