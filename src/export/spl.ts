// The analytic as a Splunk search over the Common Information Model (Endpoint Processes,
// Registry and Filesystem; Network_Traffic), so it runs on whichever add-on feeds the CIM. One
// multisearch gathers each step's events; streamstats slides the window per host. Splunk's
// regex engine is PCRE, which runs the packs' RE2 patterns as they are.
import type { ExportAnalytic } from './analytic.ts';
import { alternation, domainRegex, headerLines } from './header.ts';

/** An SPL string literal: backslashes and quotes escaped. */
function str(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function match(field: string, patterns: string[], caseSensitive = false): string {
  return `match(${field}, ${str(`${caseSensitive ? '' : '(?i)'}${alternation(patterns)}`)})`;
}

function inAny(field: string, cidrs: string[]): string {
  return cidrs.length ? `(${cidrs.map((c) => `cidrmatch(${str(c)}, ${field})`).join(' OR ')})` : 'false()';
}

function isIn(field: string, xs: string[]): string {
  return xs.length ? `in(lower(${field}), ${xs.map(str).join(', ')})` : 'false()';
}

function execution(a: ExportAnalytic): string {
  const approved = a.execution.approved.map((x) => {
    const parts = [match('process_path', x.images)];
    if (x.hosts.length) parts.push(match('host', x.hosts));
    if (x.paths.length) parts.push(match('process_path', x.paths));
    return ` AND NOT (${parts.join(' AND ')})`;
  });
  return `    [search tag=process | where (${isIn('process_name', a.execution.toolNames)} OR ${match('process_path', a.execution.userWritable)})${approved.join('')} | eval step="S1 execution"]`;
}

function persistence(a: ExportAnalytic): string[] {
  const out: string[] = [];
  if (a.persistence.registry.length)
    out.push(
      `    [search tag=registry | where ${match('registry_path', a.persistence.registry)} | eval step="S2 persistence"]`,
    );
  const tests = (xs: Array<{ pattern: string; caseSensitive: boolean }>, field: string) =>
    [false, true]
      .map((cs) => xs.filter((x) => x.caseSensitive === cs).map((x) => x.pattern))
      .map((ps, i) => (ps.length ? match(field, ps, i === 1) : ''))
      .filter(Boolean)
      .join(' OR ');
  if (a.persistence.files.length)
    out.push(
      `    [search tag=endpoint tag=filesystem | where ${tests(a.persistence.files, 'file_path')} | eval step="S2 persistence"]`,
    );
  if (a.persistence.commands.length)
    out.push(
      `    [search tag=process | where ${a.persistence.commands.map(commandTest).join(' OR ')} | eval step="S2 persistence"]`,
    );
  return out;
}

function commandTest(c: { pattern: string; caseSensitive: boolean; unless?: string }): string {
  const unless = c.unless ? ` AND NOT ${match('process', [c.unless], c.caseSensitive)}` : '';
  return `(${match('process', [c.pattern], c.caseSensitive)}${unless})`;
}

function egress(a: ExportAnalytic): string {
  const parts = [
    `(NOT ${inAny('dest_ip', a.egress.internal)} OR ${inAny('dest_ip', a.egress.carved)})`,
    `NOT ${inAny('dest_ip', a.egress.allowCidrs)}`,
  ];
  if (a.egress.allowDomains.length)
    parts.push(`(isnull(dest) OR NOT ${match('dest', a.egress.allowDomains.map(domainRegex))})`);
  return `    [search tag=network tag=communicate | where ${parts.join(' AND ')} | eval step="S3 egress"]`;
}

function control(a: ExportAnalytic): string {
  const acceptable = a.control.acceptable.map(
    (p) => ` AND NOT (${match('parent_process_path', [p.parent])} AND ${match('process_path', [p.child])})`,
  );
  return `    [search tag=process | where ${match('process_path', [a.control.children])} AND NOT ${isIn('parent_process_name', a.control.byDesign)}${acceptable.join('')} | eval step="S4 control", suspicious=if(${match('process', a.control.suspicious)}, 1, 0)]`;
}

export function toSpl(a: ExportAnalytic): string {
  const header = headerLines(a, 'SPL').map((l) => `\`\`\` ${l.replace(/`/g, "'")} \`\`\``);
  const body = [
    '| multisearch',
    execution(a),
    ...persistence(a),
    egress(a),
    control(a),
    '| sort 0 _time',
    `| streamstats time_window=${a.window} count as connections by host, dest_ip, step`,
    `| where step!="S3 egress" OR connections>=${a.minConnections}`,
    `| streamstats time_window=${a.window} dc(step) as steps values(step) as seen max(suspicious) as suspicious_child by host`,
    `| where steps>=${a.alertSteps}`,
    '| stats min(_time) as first_seen max(_time) as last_seen max(steps) as steps values(seen) as seen max(suspicious_child) as suspicious_child values(process_path) as processes by host',
    '| sort 0 - steps, - suspicious_child',
  ];
  return `${[...header, ...body].join('\n')}\n`;
}
