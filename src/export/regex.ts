// Rule-pack patterns (RE2 syntax) rewritten for query languages with smaller regex dialects.
// Sigma's `re` modifier allows only . ^ $ * + ? {n,m} [..] | (): shorthand classes become
// explicit ones, (?:...) becomes (...), lazy quantifiers become greedy (a match is a match either
// way), and word boundaries are dropped (the pattern then matches a little more, and says so).
// Lucene (Elasticsearch EQL `regex~`) also matches the whole value and has no anchors.

export interface Rewritten {
  source: string;
  /** True when the rewrite matches more than the original (a dropped \b or anchor). */
  widened: boolean;
}

const CLASS_OUTSIDE: Record<string, string> = {
  s: '[ \\t]',
  S: '[^ \\t]',
  d: '[0-9]',
  D: '[^0-9]',
  w: '[a-zA-Z0-9_]',
  W: '[^a-zA-Z0-9_]',
};
const CLASS_INSIDE: Record<string, string> = { s: ' \\t', d: '0-9', w: 'a-zA-Z0-9_' };

/** The pattern in Sigma's regex dialect. */
export function sigmaRegex(pattern: string): Rewritten {
  let out = '';
  let widened = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      i++;
      if (inClass) out += CLASS_INSIDE[n] ?? `\\${n}`;
      else if (n === 'b' || n === 'B') widened = true;
      else out += CLASS_OUTSIDE[n] ?? `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?' && pattern[i + 2] === ':') {
      out += '(';
      i += 2;
      continue;
    }
    if (c === '?' && /(^|[^\\])[*+?}]$/.test(out)) continue; // lazy → greedy
    out += c;
  }
  return { source: out, widened };
}

const LUCENE_RESERVED = /[#@&<>~"]/g;

/** Index of the parenthesis closing the group opened at `open` (escapes and classes skipped). */
function closing(s: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * One pattern for Lucene's regexp (EQL `regex~`): Sigma's dialect, then whole-value matching:
 * a leading ^ and a trailing $ are dropped, otherwise .* is added; "(^|X)" at the start becomes
 * "(.*X)?"; other inner anchors are dropped (widened). Lucene knows no \t: it becomes a tab.
 */
export function luceneRegex(pattern: string): Rewritten {
  const sigma = sigmaRegex(pattern);
  let s = sigma.source.replace(/\\t/g, '\t');
  let widened = sigma.widened;
  let prefix = '.*';
  if (s.startsWith('^')) {
    s = s.slice(1);
    prefix = '';
  } else if (s.startsWith('(^|')) {
    const end = closing(s, 0);
    if (end > 0) {
      s = `(.*${s.slice(3, end)})?${s.slice(end + 1)}`;
      prefix = '';
    }
  }
  let suffix = '.*';
  if (s.endsWith('$') && !s.endsWith('\\$')) {
    s = s.slice(0, -1);
    suffix = '';
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      out += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    if (c === '^' || c === '$') {
      widened = true;
      continue;
    }
    out += c.replace(LUCENE_RESERVED, (x) => `\\${x}`);
  }
  return { source: `${prefix}${out}${suffix}`, widened };
}
