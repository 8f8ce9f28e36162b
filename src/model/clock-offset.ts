// A host's clock offset to the flow sensor, as the engine estimates it (engine/clock-skew.ts) and
// the run summaries of hunt and watch print it.

export interface ClockOffset {
  /** Host as it was first named. */
  host: string;
  /** Host clock minus flow-sensor clock, ms (positive: the host is ahead). */
  offsetMs: number;
  /** Exact matches the estimate rests on. */
  matches: number;
}

/** The offsets as a run summary prints them: `HOST +432.0 s (2 matches)`, the first `max`, then how many more. */
export function describeOffsets(offsets: ClockOffset[], max: number): string {
  const shown = offsets
    .slice(0, max)
    .map(
      (o) =>
        `${o.host} ${o.offsetMs >= 0 ? '+' : ''}${(o.offsetMs / 1000).toFixed(1)} s (${o.matches} matches)`,
    );
  const more = offsets.length > max ? `, and ${offsets.length - max} more` : '';
  return `offset to the flow sensor: ${shown.join(', ')}${more}`;
}
