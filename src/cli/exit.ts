// Exit codes scripts can rely on.
export const EXIT = {
  /** Ran; no finding at or above --fail-on. */
  ok: 0,
  /** A finding at or above --fail-on. */
  findings: 1,
  /** Bad usage, bad config, or no readable input. */
  usage: 2,
} as const;
