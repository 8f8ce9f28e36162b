// Loads a YAML config and reports every mistake with its line and column and a hint, so a bad
// config never starts a hunt.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { defaultConfig } from '../checked-builtins.ts';
import { loadRules, type RuleProblem } from '../rules/load.ts';
import { closest } from './did-you-mean.ts';
import { issueMessage, settingsAt } from './explain-issue.ts';
import { type Config, configSchema } from './schema.ts';
import { keyNodeAt, nodeAt, repeatedKeys, yamlData } from './yaml-position.ts';

export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
  hint?: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

export function parseConfig(text: string, file: string): ConfigResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const errors = doc.errors.map((e) => ({ at: e.pos[0], message: e.message.split('\n')[0] }));
  for (const at of repeatedKeys(doc.contents)) errors.push({ at, message: 'Map keys must be unique' });
  errors.sort((a, b) => a.at - b.at);
  const issues: ConfigIssue[] = [];
  for (const e of errors) {
    const pos = lc.linePos(e.at);
    issues.push({
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: e.message,
      hint: 'fix the YAML syntax (indentation, quotes, colons)',
    });
  }
  if (issues.length) return { ok: false, issues };
  const read = yamlData(doc);
  if ('refused' in read)
    return {
      ok: false,
      issues: [{ file, line: 1, column: 1, path: '', message: read.refused, hint: 'write the settings out' }],
    };
  const data = read.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      issues: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: 'the config must be a mapping of settings',
          hint: 'run `ratchain config init` for a commented example',
        },
      ],
    };
  }
  const r = configSchema.safeParse(data, { reportInput: true });
  if (r.success) return checkRules(r.data, file, doc, lc);
  for (const issue of r.error.issues) {
    const node = nodeAt(doc.contents, issue.path as PropertyKey[]);
    const pos = node?.range ? lc.linePos(node.range[0]) : undefined;
    if (issue.code === 'unrecognized_keys') {
      const parentKeys = settingsAt(configSchema, issue.path) ?? [];
      for (const k of issue.keys) {
        const knode = keyNodeAt(doc.contents, issue.path as PropertyKey[], k);
        const kpos = knode?.range ? lc.linePos(knode.range[0]) : pos;
        const guess = closest(k, parentKeys);
        issues.push({
          file,
          line: kpos?.line,
          column: kpos?.col,
          path: [...issue.path, k].join('.'),
          message: `unknown setting "${k}"`,
          hint: guess
            ? `did you mean "${guess}"?`
            : `remove it; the settings here are ${parentKeys.join(', ')}`,
        });
      }
      continue;
    }
    issues.push({
      file,
      line: pos?.line,
      column: pos?.col,
      path: issue.path.join('.'),
      message: issueMessage(issue),
    });
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, issues };
}

/**
 * Rule files are relative to the config; the rules the config gives are checked now, so a bad
 * pack or override stops the run before it starts, with its position.
 */
function checkRules(config: Config, file: string, doc: Document, lc: LineCounter): ConfigResult {
  const rules = { ...config.Rules, Files: config.Rules.Files.map((f) => resolve(dirname(file), f)) };
  const withRules = { ...config, Rules: rules };
  const { problems } = loadRules(rules, file);
  if (problems.length === 0) return { ok: true, config: withRules };
  return { ok: false, issues: problems.map((p) => ruleIssue(p, file, doc, lc)) };
}

function ruleIssue(p: RuleProblem, file: string, doc: Document, lc: LineCounter): ConfigIssue {
  if (p.file !== file || !p.at) return { ...p, path: p.path };
  const node = nodeAt(doc.contents, p.at);
  const pos = node?.range ? lc.linePos(node.range[0]) : undefined;
  return { file, line: pos?.line, column: pos?.col, path: p.path, message: p.message, hint: p.hint };
}

export function loadConfig(file: string | undefined): ConfigResult {
  if (!file) return { ok: true, config: defaultConfig() };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, issues: [{ file, path: '', message: `cannot read: ${(e as Error).message}` }] };
  }
  return parseConfig(text, file);
}

export function formatIssue(i: ConfigIssue): string {
  const at = i.line ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return `${at}: ${i.path ? `${i.path}: ` : ''}${i.message}${i.hint ? ` (hint: ${i.hint})` : ''}`;
}
