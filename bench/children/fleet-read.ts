// The baseline for a fleet hunt: read every log file of the fleet in 1 MiB chunks, split lines
// and JSON.parse the JSON ones (XML, TSV and auditd lines are only split; EVTX is only read). Prints
// {seconds, lines, bytes, maxRssBytes}.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

function files(d: string, out: string[] = []): string[] {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

const t0 = performance.now();
let lines = 0;
let bytes = 0;
let parsed = 0;
for (const f of files(join(process.argv[2], 'logs'))) {
  if (f.endsWith('.evtx')) {
    // Binary: the baseline only reads it.
    for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 }))
      bytes += (chunk as Buffer).length;
    continue;
  }
  const dec = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) {
    bytes += (chunk as Buffer).length;
    const s = carry + dec.write(chunk as Buffer);
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      if (s.charCodeAt(start) === 123) parsed += JSON.parse(s.slice(start, nl)) ? 1 : 0;
      lines++;
      start = nl + 1;
    }
    carry = s.slice(start);
  }
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({ seconds, lines, parsed, bytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 }),
);
