// "did you mean ...?" for misspelt setting and field names.

/** The option closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, options: string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let score = Number.POSITIVE_INFINITY;
  for (const o of options) {
    const d = distance(w, o.toLowerCase());
    if (d < score) {
      score = d;
      best = o;
    }
  }
  return score <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
