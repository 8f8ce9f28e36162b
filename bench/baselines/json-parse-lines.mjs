// Baseline process: read a file in 1 MiB chunks, decode, split lines and JSON.parse every one:
// what any JSON-reading tool must at least do. Plain Node, no TypeScript loader.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

let lines = 0;
for (const file of process.argv.slice(2)) {
  const dec = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const s = carry + dec.write(chunk);
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      if (nl > start) JSON.parse(s.slice(start, nl));
      lines++;
      start = nl + 1;
    }
    carry = s.slice(start);
  }
  if (carry.trim()) JSON.parse(carry);
}
process.stdout.write(`${lines}\n`);
