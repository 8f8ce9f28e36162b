// Baseline process: read files in 1 MiB chunks, decode and split them into lines; with --json,
// JSON.parse every line too. The least a line-oriented reader (auditd, Zeek TSV) or any
// JSON-reading tool must do. Plain Node, no TypeScript loader.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const json = process.argv[2] === '--json';
let lines = 0;
for (const file of process.argv.slice(json ? 3 : 2)) {
  const dec = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const s = carry + dec.write(chunk);
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      if (json && nl > start) JSON.parse(s.slice(start, nl));
      lines++;
      start = nl + 1;
    }
    carry = s.slice(start);
  }
  if (json && carry.trim()) JSON.parse(carry);
}
process.stdout.write(`${lines}\n`);
