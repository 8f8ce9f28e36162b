import { readFileSync } from 'node:fs';
import { requiredLiterals } from '../src/config/literals.ts';
const pats = readFileSync('/tmp/pats.txt','utf8').trim().split('\n').map(l => { const [, , cs, ...rest] = l.split(' '); return [cs === '1', JSON.parse(rest.join(' '))] as const; });
for (const [cs, p] of pats) console.log(JSON.stringify(requiredLiterals(p, cs).map(c => c.map(l => (l.fold ? '~' : '=') + l.text))), '  <=', p.slice(0, 90));
