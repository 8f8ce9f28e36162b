// The baseline a hunt is compared with: read the file in 1 MiB chunks, split lines, JSON.parse
// each. Prints {seconds, lines, maxRssBytes}.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const file = process.argv[2];
const t0 = performance.now();
const dec = new StringDecoder('utf8');
let carry = '';
let lines = 0;
let keys = 0;
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
  const s = carry + dec.write(chunk as Buffer);
  let start = 0;
  for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
    const o = JSON.parse(s.slice(start, nl));
    keys += o ? 1 : 0;
    lines++;
    start = nl + 1;
  }
  carry = s.slice(start);
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({ seconds, lines, keys, maxRssBytes: process.resourceUsage().maxRSS * 1024 }),
);
