// The analytic as Elastic EQL over ECS events: `sequence by host.id with maxspan=<TimeWindow>`,
// one bracket per step, the repeated egress as `with runs`. EQL sequences are ordered and need
// every step, so the full chain comes first, then each chain of three in canonical order.
// Patterns become Lucene regexes (`regex~`), which match whole values and know fewer classes.
import type { ExportAnalytic } from './analytic.ts';
import { domainRegex, headerLines } from './header.ts';
import { luceneRegex } from './regex.ts';

/** EQL raw string (no escapes inside triple quotes). */
function raw(s: string): string {
  return `"""${s}"""`;
}

function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

let widened = false;

/** Each pattern made whole-value on its own, then joined: anchors stay exact. */
function regex(field: string, patterns: string[], caseSensitive = false): string {
  const parts = patterns.map(luceneRegex);
  if (parts.some((r) => r.widened)) widened = true;
  const source = parts.length === 1 ? parts[0].source : parts.map((r) => `(${r.source})`).join('|');
  return `${field} ${caseSensitive ? 'regex' : 'regex~'} ${raw(source)}`;
}

function anyOf(field: string, xs: string[]): string {
  return `${field} : (${xs.map(quoted).join(', ')})`;
}

function cidr(field: string, cidrs: string[]): string {
  return `cidrmatch(${field}, ${cidrs.map(quoted).join(', ')})`;
}

function split<T extends { caseSensitive: boolean; pattern: string }>(field: string, xs: T[]): string[] {
  return [false, true]
    .map((cs) => ({ cs, ps: xs.filter((x) => x.caseSensitive === cs).map((x) => x.pattern) }))
    .filter((g) => g.ps.length)
    .map((g) => regex(field, g.ps, g.cs));
}

function execution(a: ExportAnalytic): string {
  const approved = a.execution.approved.map((x) => {
    const parts = [regex('process.executable', x.images)];
    if (x.hosts.length) parts.push(regex('host.name', x.hosts));
    if (x.paths.length) parts.push(regex('process.executable', x.paths));
    return ` and not (${parts.join(' and ')})`;
  });
  return `[process where event.type == "start" and (${anyOf('process.name', a.execution.toolNames)} or ${regex('process.executable', a.execution.userWritable)})${approved.join('')}]`;
}

function persistence(a: ExportAnalytic): string {
  const parts: string[] = [];
  if (a.persistence.registry.length)
    parts.push(`(event.category == "registry" and ${regex('registry.path', a.persistence.registry)})`);
  if (a.persistence.files.length)
    parts.push(
      `(event.category == "file" and event.type in ("creation", "change") and (${split('file.path', a.persistence.files).join(' or ')}))`,
    );
  if (a.persistence.commands.length)
    parts.push(
      `(event.category == "process" and event.type == "start" and (${a.persistence.commands.map(commandTest).join(' or ')}))`,
    );
  return `[any where ${parts.join(' or ')}]`;
}

function commandTest(c: { pattern: string; caseSensitive: boolean; unless?: string }): string {
  const f = 'process.command_line';
  const unless = c.unless ? ` and not ${regex(f, [c.unless], c.caseSensitive)}` : '';
  return `(${regex(f, [c.pattern], c.caseSensitive)}${unless})`;
}

function egress(a: ExportAnalytic): string {
  const parts = [
    'network.direction in ("egress", "outbound")',
    `(not ${cidr('destination.ip', a.egress.internal)}${a.egress.carved.length ? ` or ${cidr('destination.ip', a.egress.carved)}` : ''})`,
  ];
  if (a.egress.allowCidrs.length) parts.push(`not ${cidr('destination.ip', a.egress.allowCidrs)}`);
  if (a.egress.allowDomains.length)
    parts.push(`not ${regex('destination.domain', a.egress.allowDomains.map(domainRegex))}`);
  return `[network where ${parts.join(' and ')}] with runs=${a.minConnections}`;
}

function control(a: ExportAnalytic): string {
  const acceptable = a.control.acceptable.map(
    (p) =>
      ` and not (${regex('process.parent.executable', [p.parent])} and ${regex('process.executable', [p.child])})`,
  );
  return `[process where event.type == "start" and ${regex('process.executable', [a.control.children])} and not ${anyOf('process.parent.name', a.control.byDesign)}${acceptable.join('')}]`;
}

function sequence(a: ExportAnalytic, steps: string[]): string {
  return [`sequence by host.id with maxspan=${a.window}`, ...steps.map((s) => `  ${s}`)].join('\n');
}

export function toEql(a: ExportAnalytic): string {
  widened = false;
  const steps = [execution(a), persistence(a), egress(a), control(a)];
  const names = ['S1', 'S2', 'S3', 'S4'];
  const threes = [0, 1, 2, 3].map((skip) => ({
    label: names.filter((_, i) => i !== skip).join(' → '),
    query: sequence(
      a,
      steps.filter((_, i) => i !== skip),
    ),
  }));
  const suspicious = `process where event.type == "start" and ${regex('process.command_line', a.control.suspicious)}`;
  const extra = [
    'chains in any order: EQL sequences are ordered; the queries below take the canonical order (start, persistence, egress, child)',
    'per-destination counting: `with runs` counts consecutive egress events of the host, not connections to one destination',
    "suspicious child command lines raise ratchain's score; here they are a separate query (the last one)",
  ];
  if (widened)
    extra.push(
      'word boundaries and inner anchors (\\b, ^, $ inside a pattern): Lucene regexes have none, so those patterns match a little more',
    );
  const header = headerLines(a, 'EQL', extra).map((l) => `// ${l}`);
  const blocks = [
    `// The whole chain: S1 → S2 → S3 → S4 inside ${a.window}.`,
    sequence(a, steps),
    ...(a.alertSteps <= 3 ? threes.flatMap((t) => ['', `// Three steps: ${t.label}.`, t.query]) : []),
    '',
    '// Suspicious child command lines (encoded PowerShell, download cradles, reverse shells).',
    suspicious,
  ];
  return `${[...header, '', ...blocks].join('\n')}\n`;
}
