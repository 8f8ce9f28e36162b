// Exit codes scripts can rely on (documented in the README).
export const EXIT = {
  /** Ran; no finding at or above --fail-on. */
  ok: 0,
  /** A finding at or above --fail-on. */
  findings: 1,
  /** Bad usage, bad config, or no readable input. */
  usage: 2,
  /** An internal error (a bug, or an output that cannot be written): a message says what and where. */
  internal: 3,
} as const;
