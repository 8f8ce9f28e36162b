// Rule patterns must run on a linear-time engine (RE2 syntax): no backreferences, lookarounds,
// atomic groups or possessive quantifiers, which need backtracking and let hostile text make
// matching slow. Checked once, when a pack loads, with a message that names the construct.

/** Why `source` is not an RE2-compatible pattern JavaScript can also run, or undefined. */
export function re2Problem(source: string): string | undefined {
  try {
    new RegExp(source);
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(n)) return `backreference \\${n} needs backtracking; match without it`;
      if (!inClass && n === 'k' && source[i + 2] === '<')
        return 'named backreference \\k<...> needs backtracking';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const look = source.slice(i + 2, i + 4);
      if (look.startsWith('=') || look.startsWith('!') || look === '<=' || look === '<!')
        return `lookaround (?${look.startsWith('<') ? look : look[0]}...) is not linear-time; use a second pattern (e.g. "unless:")`;
      if (look.startsWith('>')) return 'atomic group (?>...) is not RE2 syntax';
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && source[i + 1] === '+')
      return 'possessive quantifier is not RE2 syntax';
  }
  return undefined;
}
