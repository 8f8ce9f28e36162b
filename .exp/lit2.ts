import { requiredLiterals } from '../src/config/literals.ts';
for (const p of [String.raw`\s-(e|ec|en|enc|enco|encod|encode|encodedcommand)\s+[a-z0-9+/=]{16,}`, String.raw`\s-(e|ec)`, String.raw`[a-z0-9+/=]{16,}`, String.raw`-(e|ec)\s+`,String.raw`(e|ec)x`, String.raw`(^|[\\/])(python[0-9.]*|whoami|curl)`])
  console.log(JSON.stringify(requiredLiterals(p, false)), p);
