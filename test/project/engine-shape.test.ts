// The engine stays small enough to read (ARCHITECTURE.md): engine.ts is dispatch and lifecycle,
// under 250 lines; no function under src/engine/ runs over 100 lines. Measured with the
// TypeScript parser, so a function is a function however it is written.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../support/data.ts';

const ENGINE = join(REPO_ROOT, 'src/engine');
const MAX_ENGINE_LINES = 250;
const MAX_FUNCTION_LINES = 100;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

interface FunctionSize {
  file: string;
  name: string;
  line: number;
  lines: number;
}

/** Every function, method and arrow function in `file`, with its length in lines. */
function functionSizes(file: string): FunctionSize[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = node as ts.FunctionLikeDeclaration;
      const name = named.name && ts.isIdentifier(named.name) ? named.name.text : '(anonymous)';
      out.push({ file: relative(REPO_ROOT, file), name, line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

test(`src/engine/engine.ts is under ${MAX_ENGINE_LINES} lines`, () => {
  const lines = readFileSync(join(ENGINE, 'engine.ts'), 'utf8').split('\n').length;
  assert.ok(lines < MAX_ENGINE_LINES, `engine.ts has ${lines} lines`);
});

test(`no function in src/engine/ is over ${MAX_FUNCTION_LINES} lines`, () => {
  const sizes = sources(ENGINE).flatMap(functionSizes);
  assert.ok(sizes.length > 50, 'the parser found the engine functions');
  const long = sizes.filter((s) => s.lines > MAX_FUNCTION_LINES);
  assert.deepEqual(
    long.map((s) => `${s.file}:${s.line} ${s.name} (${s.lines} lines)`),
    [],
    'functions over the limit',
  );
});
