// The evidence a network sensor's flow gives: one line (addresses, duration, bytes, state, the
// clock offset applied) and the endpoint, in the clock of the host it was placed on.
import type { Evidence, EvidenceProcess } from '../model/finding.ts';
import { endpointFact, evidence } from './evidence.ts';
import type { QuotedFlow } from './state.ts';

/** Offsets below this are jitter between two sensors' stamps, not worth a word in the evidence. */
const NOTABLE_OFFSET_MS = 2000;

function flowSummary({ ev, name, offset }: QuotedFlow): string {
  const dur = ev.durationSec !== undefined ? `, ${Math.round(ev.durationSec)} s` : '';
  const bytes = ev.bytesOut !== undefined ? `, ${ev.bytesOut} B out / ${ev.bytesIn ?? 0} B in` : '';
  const state = `${ev.state ? `, ${ev.state}` : ''}${ev.open ? ', still open' : ''}`;
  const clock =
    Math.abs(offset) >= NOTABLE_OFFSET_MS
      ? ` (flow sensor time ${new Date(ev.time).toISOString()}, ${offset > 0 ? '+' : ''}${(offset / 1000).toFixed(1)} s to the host's clock)`
      : '';
  return `flow ${ev.srcIp}:${ev.srcPort ?? '?'} → ${name ? `${name} ` : ''}${ev.dstIp}:${ev.dstPort ?? '?'}${dur}${bytes}${state}${clock}`;
}

/** The process a flow sensor named (VMConnection ProcessName), when it names one. */
function flowProcess(image: string, pid: number | undefined): EvidenceProcess {
  return pid === undefined ? { image } : { pid, image };
}

/** The evidence a flow gives, stamped in the host's clock. */
export function quoteFlow(q: QuotedFlow): Evidence {
  const { ev, name } = q;
  return evidence(ev.time + q.offset, flowSummary(q), ev.src, {
    ...(ev.proc?.image ? { process: flowProcess(ev.proc.image, ev.proc.pid) } : {}),
    endpoint: endpointFact({
      ip: ev.dstIp,
      port: ev.dstPort,
      name,
      protocol: ev.protocol,
      direction: ev.direction,
      srcIp: ev.srcIp,
      srcPort: ev.srcPort,
    }),
  });
}
