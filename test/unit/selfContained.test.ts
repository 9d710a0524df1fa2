// The repository stands on its own. Every tracked text file is read (git ls-files; lockfiles and
// binary files are skipped) and checked for:
//   (a) references to things outside the repository: absolute paths of a particular machine, a
//       sibling "shared" folder, and the names of the documents that docs/semantics.md and
//       docs/testing.md replaced;
//   (b) citations of docs/semantics.md (the path followed by section numbers, or a link to one of
//       its anchors) and of docs/testing.md (the path followed by a section number) that name a
//       section that does not exist;
//   (c) rule metadata whose `reference` names a section that docs/semantics.md does not have;
//   (d) section numbers of the semantics reference written without the document's path, the way
//       the code cited the reference when it lived outside the repository.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/registry';

const ROOT = path.resolve(__dirname, '../..');
const SEMANTICS = 'docs/semantics.md';
const TESTING = 'docs/testing.md';

interface TextFile {
  readonly file: string;
  readonly text: string;
}

/** Tracked files with their text, without lockfiles and binary files. */
function trackedTextFiles(): TextFile[] {
  let listing: string;
  try {
    listing = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    throw new Error(`git ls-files failed in ${ROOT}: ${(err as Error).message}`);
  }
  const out: TextFile[] = [];
  for (const file of listing.split('\0').filter(Boolean)) {
    if (path.posix.basename(file) === 'package-lock.json') continue;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(ROOT, file));
    } catch {
      continue; // deleted in the working tree
    }
    if (bytes.includes(0)) continue; // binary (icons)
    out.push({ file, text: bytes.toString('utf8') });
  }
  return out;
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function excerpt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text
    .slice(start, end === -1 ? undefined : end)
    .trim()
    .slice(0, 140);
}

// ------------------------------------------------------------------------- (a) outside references

const FORBIDDEN: ReadonlyArray<{ readonly what: string; readonly re: RegExp }> = [
  { what: 'an absolute path under /work', re: /\/work\//g },
  { what: 'an absolute path under /home', re: /\/home\//g },
  { what: 'an absolute path under /root', re: /\/root\//g },
  { what: 'a path into a "shared" folder next to the checkout', re: /\.\.\/shared\//g },
  { what: 'the semantics reference that docs/semantics.md replaced', re: /netpol-semantics\.md/g },
  { what: 'the e2e notes that docs/testing.md replaced', re: /\be2e\.md\b/g },
];

/**
 * The exceptions, each one file and the exact text it may contain. The conformance test compares
 * the CLI with netpol-analyzer's expected results, a data set that is deliberately not part of the
 * repository: the test reads it from a "shared/conformance" folder next to the checkout when that
 * folder exists (CI provides it) and skips itself otherwise. Naming that relative path is the
 * point of the test, not a leftover.
 */
const ALLOWED: ReadonlyArray<{ readonly file: string; readonly text: RegExp }> = [
  { file: 'test/conformance/conformance.test.ts', text: /\.\.\/shared\/conformance\b/g },
  { file: 'test/conformance/admin.test.ts', text: /\.\.\/shared\/conformance\b/g },
];

// ------------------------------------------------------------------------------- (b) citations

/** A section number of docs/semantics.md: zero, a part letter, a letter with a number, or a rule (V01, AV01, AP01). */
const SECTION = String.raw`(?:0|[ABCD](?:\.\d{1,2})?|V\d{2}|A[VP]\d{2})(?![\w]|\.\d)`;
/** Between the section numbers of one citation: a comma, a slash, a dash, "and", or a space before a rule. */
const SEPARATOR = String.raw`(?:\s*(?:,|/|-|–|\band\b)\s*|\s+(?=(?:V|AV|AP)\d{2}))`;
/** `docs/semantics.md B.4`, `docs/semantics.md A.9, A.10`: the path, then one or more numbers. */
const CITATION = new RegExp(String.raw`docs/semantics\.md,?[ \t]+(${SECTION}(?:${SEPARATOR}${SECTION})*)`, 'g');
/** A Markdown link to an anchor of docs/semantics.md, from anywhere (`../semantics.md#b4`, `#b4` inside it). */
const SEMANTICS_LINK = /(?:^|[/(\s])semantics\.md#([A-Za-z0-9_-]+)/g;
/** `docs/testing.md, section 2`, `docs/testing.md, sections 2 and 5`. */
const TESTING_CITATION = /docs\/testing\.md,?\s+sections?\s+(\d+(?:\s*(?:,|\band\b)\s*\d+)*)/g;
const TESTING_LINK = /(?:^|[/(\s])testing\.md#([A-Za-z0-9_-]+)/g;

/** The anchor of a section number: 0 is s0, a part is its letter, X.n is xn, Vnn is vnn. */
function anchorOf(section: string): string {
  return section === '0' ? 's0' : section.toLowerCase().replace('.', '');
}

function sectionsOf(list: string): string[] {
  return [...list.matchAll(new RegExp(SECTION, 'g'))].map((m) => m[0]);
}

function anchorsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/<a id="([A-Za-z0-9_-]+)"><\/a>/g)].map((m) => m[1]));
}

// ----------------------------------------------------------------- (d) section numbers without path

/** A section number as the old citations wrote it: a part letter, a dot, a number. */
const BARE_SECTION = /(?<![\w./#-])[ABCD]\.\d{1,2}(?![\w]|\.\d)/g;
/** The other old forms: section zero, "pitfall" and a number, "of the" and "reference", "reference" and a number. */
const OLD_FORMS = /\bsections? 0\b|\bpitfall \d{1,2}\b|\bof the reference\b|\breference (?:sections? )?[0ABC]\b/gi;
/** Pitfall numbers in parentheses: a capital P and the number. */
const OLD_PITFALL = /\(P\d{1,2}\)/g;

/** Ranges of `text` that a correct citation covers (its section numbers are fine there). */
function citedRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(CITATION)) out.push([m.index, m.index + m[0].length]);
  // link text of a Markdown link to the reference: [C.1](../semantics.md#c1)
  for (const m of text.matchAll(/\[[^\]\n]*\]\([^)\s]*semantics\.md#[^)\s]*\)/g)) {
    out.push([m.index, m.index + m[0].length]);
  }
  // rule metadata holds bare section numbers by design: reference: 'C.19, A.11'
  for (const m of text.matchAll(/\breference\??:\s*(?:'[^'\n]*'|`[^`\n]*`)/g)) {
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

describe('the repository is self-contained', () => {
  const files = trackedTextFiles();
  const semantics = files.find((f) => f.file === SEMANTICS);
  const testing = files.find((f) => f.file === TESTING);
  const semanticsAnchors = anchorsIn(semantics?.text ?? '');

  it('has the documents it cites', () => {
    assert.ok(files.length > 100, `only ${files.length} tracked text files: is this a git checkout?`);
    assert.ok(semantics, `${SEMANTICS} is not tracked`);
    assert.ok(testing, `${TESTING} is not tracked`);
    // every numbered section of docs/semantics.md has its anchor, and nothing else is numbered
    const expected = ['s0', 'a', 'b', 'c', 'd', 'sources'];
    for (let i = 1; i <= 12; i++) expected.push(`a${i}`, `b${i}`);
    for (let i = 1; i <= 45; i++) expected.push(`c${i}`);
    for (let i = 1; i <= 7; i++) expected.push(`d${i}`);
    for (let i = 1; i <= 28; i++) expected.push(`v${String(i).padStart(2, '0')}`);
    for (let i = 1; i <= 26; i++) expected.push(`av${String(i).padStart(2, '0')}`);
    for (let i = 1; i <= 15; i++) expected.push(`ap${String(i).padStart(2, '0')}`);
    assert.deepEqual([...semanticsAnchors].sort(), expected.sort());
  });

  it('(a) names no file outside the repository and no path of a particular machine', () => {
    const found: string[] = [];
    for (const { file, text } of files) {
      let t = text;
      for (const a of ALLOWED) if (a.file === file) t = t.replace(a.text, (s) => ' '.repeat(s.length));
      for (const { what, re } of FORBIDDEN) {
        for (const m of t.matchAll(re)) found.push(`${file}:${lineOf(t, m.index)}: ${what}: ${excerpt(t, m.index)}`);
      }
    }
    assert.deepEqual(found, [], `\n${found.join('\n')}`);
  });

  it('(a) the allowed exceptions are still needed', () => {
    for (const a of ALLOWED) {
      const f = files.find((x) => x.file === a.file);
      assert.ok(f, `${a.file} is not tracked any more: remove it from ALLOWED`);
      assert.ok(new RegExp(a.text.source).test(f.text), `${a.file} no longer needs its exception`);
    }
  });

  it('(b) every citation of docs/semantics.md and docs/testing.md names a section that exists', () => {
    const testingSections = new Set([...(testing?.text ?? '').matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));
    const testingAnchors = anchorsIn(testing?.text ?? '');
    const broken: string[] = [];
    let citations = 0;
    for (const { file, text } of files) {
      const where = (i: number): string => `${file}:${lineOf(text, i)}`;
      for (const m of text.matchAll(CITATION)) {
        for (const s of sectionsOf(m[1])) {
          citations++;
          if (!semanticsAnchors.has(anchorOf(s))) broken.push(`${where(m.index)}: no section ${s} in ${SEMANTICS}`);
        }
      }
      const own = file === SEMANTICS ? [...text.matchAll(/\]\(#([A-Za-z0-9_-]+)\)/g)] : [];
      for (const m of [...text.matchAll(SEMANTICS_LINK), ...own]) {
        citations++;
        if (!semanticsAnchors.has(m[1])) broken.push(`${where(m.index)}: no anchor #${m[1]} in ${SEMANTICS}`);
      }
      for (const m of text.matchAll(TESTING_CITATION)) {
        for (const n of m[1].match(/\d+/g) ?? []) {
          if (!testingSections.has(n)) broken.push(`${where(m.index)}: no section ${n} in ${TESTING}`);
        }
      }
      const ownTesting = file === TESTING ? [...text.matchAll(/\]\(#([A-Za-z0-9_-]+)\)/g)] : [];
      for (const m of [...text.matchAll(TESTING_LINK), ...ownTesting]) {
        if (!testingAnchors.has(m[1])) broken.push(`${where(m.index)}: no anchor #${m[1]} in ${TESTING}`);
      }
    }
    assert.deepEqual(broken, [], `\n${broken.join('\n')}`);
    assert.ok(citations > 100, `only ${citations} citations found: is the citation pattern still right?`);
  });

  it('(c) every rule reference names sections that docs/semantics.md has', () => {
    const refs = new Map<string, string>(); // reference -> where
    for (const r of RULES.values()) if (r.reference) refs.set(r.reference, `rule ${r.id}`);
    // the literals in the rule modules too, wherever they are (a rule may not be registered yet)
    for (const { file, text } of files) {
      if (!file.startsWith('server/src/') || !file.endsWith('.ts')) continue;
      for (const m of text.matchAll(/\breference\??:\s*'([^'\n]*)'/g)) {
        refs.set(m[1], `${file}:${lineOf(text, m.index)}`);
      }
    }
    assert.ok(refs.size > 30, `only ${refs.size} references found`);
    const broken: string[] = [];
    for (const [ref, where] of refs) {
      const parts = ref.split(',').map((p) => p.trim());
      for (const part of parts) {
        const sections = part.split(/\s+/);
        const ok = sections.every((s) => new RegExp(`^${SECTION}$`).test(s) && semanticsAnchors.has(anchorOf(s)));
        const pair = /^(?:A\.9 V\d{2}|D\.2 AV\d{2}|D\.6 AP\d{2})$/;
        if (!ok || (sections.length === 2 && !pair.test(part))) broken.push(`${where}: '${ref}'`);
      }
    }
    assert.deepEqual(broken, [], `\n${broken.join('\n')}`);
  });

  it('(d) cites sections of docs/semantics.md by its path, never by bare numbers', () => {
    const found: string[] = [];
    for (const { file, text } of files) {
      if (file === SEMANTICS) continue; // its own section numbers need no path
      const covered = citedRanges(text);
      const isCovered = (i: number): boolean => covered.some(([a, b]) => i >= a && i < b);
      for (const re of [BARE_SECTION, OLD_FORMS, OLD_PITFALL]) {
        for (const m of text.matchAll(re)) {
          if (!isCovered(m.index)) found.push(`${file}:${lineOf(text, m.index)}: "${m[0]}": ${excerpt(text, m.index)}`);
        }
      }
    }
    assert.deepEqual(found, [], `\n${found.join('\n')}`);
  });
});
