// Small units (docs/architecture.md, "Code size"): in the shipped sources (server/src, client/src,
// media/src) no file is over 600 lines, no function over 120 lines, and at most three functions
// are over 80 lines. Lines are counted as written (Prettier-formatted, comments included), from
// the line of a function's first token to the line of its last; a nested function counts inside
// its parent as well as on its own.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const ROOTS = ['server/src', 'client/src', 'media/src'];
const MAX_FILE = 600;
const MAX_FUNCTION = 120;
const LONG_FUNCTION = 80;
const MAX_LONG = 3;

interface Measured {
  file: string;
  name: string;
  lines: number;
}

function sources(): string[] {
  return ROOTS.flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
      .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name))),
  );
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(sf);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(sf);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  if (parent && ts.isCallExpression(parent)) return `callback of ${parent.expression.getText(sf).slice(0, 40)}`;
  return '(anonymous)';
}

/** Every function-like node of a file with its length in lines. */
export function measureFunctions(file: string, text: string): Measured[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Measured[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, name: nameOf(node, sf), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('code size', () => {
  const files = sources();
  const texts = new Map(files.map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));

  it('measures functions the way the limits mean them', () => {
    const text = ['function a() {', '  const b = () => {', '    return 1;', '  };', '  return b();', '}', ''].join(
      '\n',
    );
    const m = measureFunctions('x.ts', text);
    assert.deepEqual(
      m.map((f) => [f.name, f.lines]),
      [
        ['a', 6],
        ['b', 3],
      ],
    );
  });

  it(`no source file is over ${MAX_FILE} lines`, () => {
    const over = files
      .map((f) => ({ f, n: texts.get(f)!.split('\n').length - (texts.get(f)!.endsWith('\n') ? 1 : 0) }))
      .filter((x) => x.n > MAX_FILE);
    assert.deepEqual(
      over.map((x) => `${x.f}: ${x.n} lines`),
      [],
    );
  });

  it(`no function is over ${MAX_FUNCTION} lines, and at most ${MAX_LONG} are over ${LONG_FUNCTION}`, () => {
    const all = files.flatMap((f) => measureFunctions(f, texts.get(f)!));
    assert.ok(all.length > 200, `${all.length} functions measured`);
    const tooLong = all.filter((m) => m.lines > MAX_FUNCTION);
    assert.deepEqual(
      tooLong.map((m) => `${m.file} ${m.name}: ${m.lines} lines`),
      [],
    );
    const long = all.filter((m) => m.lines > LONG_FUNCTION);
    assert.ok(
      long.length <= MAX_LONG,
      `${long.length} functions over ${LONG_FUNCTION} lines:\n${long.map((m) => `  ${m.file} ${m.name}: ${m.lines}`).join('\n')}`,
    );
  });
});
