// The engine stays small enough to read (ARCHITECTURE.md): engine.ts is dispatch and lifecycle,
// under 250 lines; no function under src/engine/ runs over 100 lines. Measured with the
// TypeScript parser, so a function is a function however it is written.
// What counts (event ids, paths, ports, program names) is the rule packs' and the catalogue's, never
// the engine's literals.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { parse } from 'yaml';
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

/** What belongs in the rule packs, not in engine code: event ids, platform paths, labels, keys. */
const PLATFORM_KNOWLEDGE: Array<[string, RegExp]> = [
  [
    'a Windows event id',
    /\b(4624|4625|4634|4647|4648|4657|4663|4672|4688|4689|4697|4698|4699|4700|4702|5140|5145|5156|5158|7034|7036|7040|7045)\b/,
  ],
  ['a Linux path', /(^|[^\w.])\/(etc|usr|tmp|var|home|opt|dev|lib|run|proc|root|bin|sbin|srv)\//],
  ['a macOS label or path', /com\.apple|\/library\/|\/system\/|launch(agents|daemons)|\.plist|\/users\//i],
  [
    'a Windows path or registry key',
    /[a-z]:\\|\\windows\\|system32|currentversion|\\software\\|\bhk(lm|cu)\b|\.exe\b/i,
  ],
];

/** The text of every string, template and regex literal in `file` (import specifiers left out). */
function literals(file: string): Array<{ line: number; text: string }> {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isRegularExpressionLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      out.push({ line, text: node.getText(sf) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

test('nothing in src/engine/ names a Windows event id, a Linux path, a macOS label or a Windows key: the rule packs do', () => {
  const found: string[] = [];
  for (const file of sources(ENGINE))
    for (const { line, text } of literals(file)) {
      const unescaped = text.replace(/\\(.)/g, '$1');
      for (const [what, re] of PLATFORM_KNOWLEDGE)
        if (re.test(text) || re.test(unescaped))
          found.push(`${relative(REPO_ROOT, file)}:${line} ${what}: ${text}`);
    }
  assert.deepEqual(found, []);
});

test('the checker finds what it looks for (it cannot pass by finding nothing)', () => {
  const samples = ['"4688"', "'/etc/systemd/system'", '/^com\\.apple\\./', "'C:\\\\Windows\\\\x.exe'"];
  for (const s of samples)
    assert.ok(
      PLATFORM_KNOWLEDGE.some(([, re]) => re.test(s) || re.test(s.replace(/\\(.)/g, '$1'))),
      `${s} is caught`,
    );
});

/** Every value under `keys` anywhere in a parsed YAML document. */
function valuesUnder(node: unknown, keys: ReadonlySet<string>, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const v of node) valuesUnder(v, keys, out);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (keys.has(k)) out.push(...(Array.isArray(v) ? v : [v]));
      else valuesUnder(v, keys, out);
    }
  return out;
}

/** What the rule packs and the catalogue name: ports, and program names (without .exe). */
function knowledge(): { ports: Set<number>; names: Set<string> } {
  const docs = [
    ...readdirSync(join(REPO_ROOT, 'src/rules'))
      .filter((n) => n.endsWith('.yaml'))
      .map((n) => join(REPO_ROOT, 'src/rules', n)),
    join(REPO_ROOT, 'src/catalog/tools.yaml'),
  ].map((f) => parse(readFileSync(f, 'utf8')) as unknown);
  const ports = new Set(docs.flatMap((d) => valuesUnder(d, new Set(['port', 'ports']))).map(Number));
  const names = new Set(
    docs
      .flatMap((d) => valuesUnder(d, new Set(['names', 'executables'])))
      .map((n) =>
        String(n)
          .toLowerCase()
          .replace(/\.exe$/, ''),
      ),
  );
  return { ports, names };
}

/** Numeric literals in `file` with their values (1_000 read as 1000). */
function numbers(file: string): Array<{ line: number; value: number }> {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Array<{ line: number; value: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNumericLiteral(node))
      out.push({
        line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
        value: Number(node.text),
      });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Ports and program patterns of `knowledge` that `file` names. */
function knowledgeIn(file: string, k: ReturnType<typeof knowledge>): string[] {
  const where = relative(REPO_ROOT, file);
  const found: string[] = [];
  for (const { line, value } of numbers(file))
    if (k.ports.has(value)) found.push(`${where}:${line} port ${value}`);
  // Patterns only: plain strings also carry the model's own words ('login' events, 'systemd'
  // entries), which are not knowledge of a program.
  for (const { line, text } of literals(file).filter((l) => l.text.startsWith('/'))) {
    const words = text.toLowerCase().match(/[a-z][\w-]*/g) ?? [];
    for (const w of words) if (k.names.has(w)) found.push(`${where}:${line} program ${w}: ${text}`);
  }
  return found;
}

test('nothing in src/engine/ names a port the rule packs or the catalogue name, or matches a program they name: they do', () => {
  const k = knowledge();
  assert.ok(
    k.ports.has(3389) && k.ports.has(5938) && k.names.has('whoami') && k.names.has('anydesk'),
    'knowledge read',
  );
  assert.deepEqual(
    sources(ENGINE).flatMap((f) => knowledgeIn(f, k)),
    [],
  );
});

test('the port and program checker finds what it looks for', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-shape-'));
  const file = join(dir, 'sample.ts');
  writeFileSync(
    file,
    'const a = port === 5938;\nconst b = /^(install|cp|mv)$/;\nconst c = /anydesk\\.exe$/i;\n',
  );
  try {
    assert.equal(knowledgeIn(file, knowledge()).length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
