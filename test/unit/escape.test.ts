// Hostile names in what netpol-lens prints: text listings keep one line per entry with control
// characters visible and no CI workflow command, and the Markdown of `diff --format md` and
// `connectivity --format md` (pull-request comments, the editor's comparison preview) renders
// manifest strings as plain text: no image, link, HTML, mention or emphasis.
/* eslint-disable no-control-regex -- the assertions look for control characters */
import { strict as assert } from 'node:assert';
import MarkdownIt from 'markdown-it';
import { computeConnectivity } from '../../server/src/analysis/connectivity';
import { diffConnectivity } from '../../server/src/analysis/diff';
import { diffMarkdown, diffText } from '../../server/src/analysis/diffReport';
import { mdText, terminalSafe, textLine } from '../../server/src/analysis/escape';
import { toMarkdown, toTextLines } from '../../server/src/analysis/report';
import { worldOf } from '../support/workspace';

const HOSTILE = [
  '![x](https://example.com/t.png)',
  '[click](https://example.com)',
  '<img src=https://example.com/i.png>',
  '@octocat',
  '**bold** _it_ `code` ~~s~~ $x$',
  'a|b',
  'evil\u001b[31mred\rover',
  'x\n::error file=a::forged',
  '##[add-mask]s ##vso[task.setvariable]v',
  '\u202ereversed',
  'https://example.com/p www.example.com',
];

function pod(ns: string, name: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${JSON.stringify(name)}\n  namespace: ${JSON.stringify(ns)}\nspec: {containers: [{name: c}]}\n`;
}

const md = new MarkdownIt({ html: true, linkify: false });

describe('escaping manifest strings in output', () => {
  it('text: one visible line per string, no workflow command', () => {
    assert.equal(textLine('a\u001b[2Jb\r\n\t\u0085\u202e'), 'a\\x1b[2Jb\\r\\n\\t\\x85\\u202e');
    const out = terminalSafe(
      'ok\n::error::x\n  ::warning::y\n\u00a0::notice::z\nsee ##[set-output] and ##vso[x]\na\u0007b\n',
    );
    assert.doesNotMatch(out, /^\s*::/m);
    assert.doesNotMatch(out, /##\[|##vso\[/i);
    assert.doesNotMatch(out, /\u0007/);
    assert.equal(out.split('\n').length, 7);
  });

  it('connectivity and diff text keep one line per connection whatever the names', () => {
    const files: Record<string, string> = {};
    HOSTILE.forEach((n, i) => (files[`p${i}.yaml`] = pod('ns', n)));
    const conn = computeConnectivity(worldOf(files));
    const lines = toTextLines(conn);
    const pairs = lines.filter((l) => /^ns\/.* => ns\/.* : All Connections$/.test(l));
    assert.equal(pairs.length, HOSTILE.length * (HOSTILE.length - 1));
    // the rest: each workload to and from anywhere, IPv4 and IPv6
    assert.equal(lines.length - pairs.length, HOSTILE.length * 4);
    for (const l of lines) assert.doesNotMatch(l, /[\u0000-\u001f\u007f-\u009f\u202e]/, JSON.stringify(l));
    const d = diffConnectivity(computeConnectivity(worldOf({ a: pod('ns', 'base') })), conn, { all: true });
    const text = terminalSafe(diffText(d, true));
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    assert.doesNotMatch(text, /^\s*::/m);
    assert.equal(
      text.trim().split('\n').length,
      d.changes.length + d.workloadsAdded.length + d.workloadsRemoved.length + 1,
    );
  });

  it('Markdown cells: every hostile string renders as its own text', () => {
    for (const s of HOSTILE) {
      const html = md.renderInline(mdText(s));
      assert.doesNotMatch(html, /<(img|a|em|strong|code|s|del|script|br)\b/, `${s} -> ${html}`);
      // what a reader sees is the string itself (controls written visibly, zero-width breaks aside)
      const shown = html
        .replace(/\u200b/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"');
      assert.equal(shown, textLine(s), s);
    }
  });

  it('diff and connectivity Markdown of hostile workloads has no markup but the table', () => {
    const files: Record<string, string> = {};
    HOSTILE.forEach((n, i) => (files[`p${i}.yaml`] = pod(`n${i}`, n)));
    files['odd.yaml'] = pod('<b>ns</b>', 'x');
    const base = computeConnectivity(worldOf({ a: pod('ns', 'base') }));
    const head = computeConnectivity(worldOf(files));
    for (const text of [
      diffMarkdown(diffConnectivity(base, head, { all: true }), true, '@team ![t](https://e.com/x)'),
      toMarkdown(head),
    ]) {
      const html = md.render(text);
      assert.doesNotMatch(html, /<(img|a|em|strong|code|s|del|script|b|br)\b/, html);
      assert.ok((html.match(/<h2>/g) ?? []).length <= 1);
      assert.ok((html.match(/<table>/g) ?? []).length <= 1);
      // every row keeps its columns (a | in a name does not split a cell)
      const rows = html.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
      const widths = new Set(rows.map((r) => (r.match(/<t[dh]\b/g) ?? []).length));
      assert.ok(widths.size <= 1, [...widths].join());
    }
  });
});
