// re2js's instruction codes and empty-width flags (Inst and Utils in its source), which build.ts
// reads its compiled programs by and program.ts runs them by. A re2js upgrade that renumbers them
// fails test/config/dfa.test.ts.
export const ALT = 1;
export const ALT_MATCH = 2;
export const CAPTURE = 3;
export const EMPTY_WIDTH = 4;
export const FAIL = 5;
export const MATCH = 6;
export const NOP = 7;
export const RUNE = 8;
export const RUNE_ANY = 10;
export const RUNE_ANY_NOT_NL = 11;
/** An instruction's `arg` bit: a single rune matched case-folded. */
export const FOLD_CASE = 1;
export const BEGIN_LINE = 1;
export const END_LINE = 2;
export const BEGIN_TEXT = 4;
export const END_TEXT = 8;
export const WORD_BOUNDARY = 16;
export const NO_WORD_BOUNDARY = 32;

/** RE2's word character for \b and \B: ASCII letters, digits and underscore only. */
export const isWordRune = (r: number) =>
  (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122) || r === 95;
