// The analytic as a Sigma rule set (specification v2): one detection rule per kind of step event
// (Sysmon-style field names of the Sigma taxonomy), event_count correlations that make the
// persistence rules one step and repeated connections one egress step, and a temporal
// correlation over the four steps grouped by host, with TimeWindow as its timespan and the
// alert threshold as its condition. Documents are separated by `---`.
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { ExportAnalytic } from './analytic.ts';
import { domainRegex, headerLines } from './header.ts';
import { sigmaRegex } from './regex.ts';

type Doc = Record<string, unknown>;

const HOST_FIELD = 'ComputerName';

/** A stable UUID for a rule name: the same analytic gets the same ids on every export. */
function ruleId(name: string): string {
  const h = createHash('sha256').update(`ratchain-sigma/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

let widened = false;

function re(patterns: string[]): string[] {
  return patterns.map((p) => {
    const r = sigmaRegex(p);
    if (r.widened) widened = true;
    return r.source;
  });
}

function base(a: ExportAnalytic, name: string, title: string, description: string): Doc {
  return {
    title,
    id: ruleId(`${a.platform}/${name}`),
    name,
    status: 'experimental',
    description,
    author: 'ratchain export',
    references: ['https://attack.mitre.org/techniques/T1219/'],
    tags: ['attack.command-and-control', 'attack.t1219'],
  };
}

function logsource(a: ExportAnalytic, category: string): Doc {
  return { category, product: a.platform };
}

function endsWithName(a: ExportAnalytic, names: string[]): string[] {
  return names.map((n) => `${a.platform === 'windows' ? '\\' : '/'}${n}`);
}

function execution(a: ExportAnalytic, n: string): Doc {
  const detection: Doc = {
    selection_tool: { 'Image|endswith': endsWithName(a, a.execution.toolNames) },
    selection_user_writable: { 'Image|re|i': re(a.execution.userWritable) },
  };
  a.execution.approved.forEach((x, i) => {
    const f: Doc = { 'Image|re|i': re(x.images) };
    if (x.hosts.length) f[`${HOST_FIELD}|re|i`] = re(x.hosts);
    detection[`filter_approved_${i}`] = f;
  });
  detection.condition = `1 of selection_*${a.execution.approved.length ? ' and not 1 of filter_approved_*' : ''}`;
  return {
    ...base(
      a,
      n,
      'Remote access tool or program from a user-writable path starts (DET0496 S1)',
      'S1 of the DET0496 chain: a catalogued remote-access executable, or any program run from a user-writable or temporary path, starts.',
    ),
    logsource: logsource(a, 'process_creation'),
    detection,
    falsepositives: ['Approved remote support tools (list them in ProcessAllowlist and export again)'],
    level: 'low',
  };
}

function persistenceRules(a: ExportAnalytic, n: string): Doc[] {
  const docs: Doc[] = [];
  const desc = 'S2 of the DET0496 chain: a persistence entry is made.';
  if (a.persistence.registry.length)
    docs.push({
      ...base(a, `${n}_registry`, 'Persistence registry value set (DET0496 S2)', desc),
      logsource: logsource(a, 'registry_set'),
      detection: { selection: { 'TargetObject|re|i': re(a.persistence.registry) }, condition: 'selection' },
      level: 'low',
    });
  const sel = (field: string, xs: Array<{ pattern: string; caseSensitive: boolean }>): Doc => {
    const d: Doc = {};
    const ci = xs.filter((x) => !x.caseSensitive).map((x) => x.pattern);
    const cs = xs.filter((x) => x.caseSensitive).map((x) => x.pattern);
    if (ci.length) d.selection_any_case = { [`${field}|re|i`]: re(ci) };
    if (cs.length) d.selection_exact_case = { [`${field}|re`]: re(cs) };
    d.condition = '1 of selection_*';
    return d;
  };
  if (a.persistence.files.length)
    docs.push({
      ...base(a, `${n}_file`, 'Persistence file written (DET0496 S2)', desc),
      logsource: logsource(a, 'file_event'),
      detection: sel('TargetFilename', a.persistence.files),
      level: 'low',
    });
  if (a.persistence.commands.length)
    docs.push({
      ...base(a, `${n}_command`, 'Command that makes persistence (DET0496 S2)', desc),
      logsource: logsource(a, 'process_creation'),
      detection: commandDetection(a),
      level: 'low',
    });
  return docs;
}

/** One selection per command (with its own exclusion: `crontab -l` only lists). */
function commandDetection(a: ExportAnalytic): Doc {
  const d: Doc = {};
  const terms: string[] = [];
  a.persistence.commands.forEach((c, i) => {
    const field = `CommandLine|re${c.caseSensitive ? '' : '|i'}`;
    d[`selection_${i}`] = { [field]: re([c.pattern]) };
    if (c.unless) d[`filter_${i}`] = { [field]: re([c.unless]) };
    terms.push(c.unless ? `(selection_${i} and not filter_${i})` : `selection_${i}`);
  });
  d.condition = terms.join(' or ');
  return d;
}

function egressRule(a: ExportAnalytic, n: string): Doc {
  const detection: Doc = { selection: { Initiated: 'true' } };
  if (a.egress.internal.length) detection.filter_internal = { 'DestinationIp|cidr': a.egress.internal };
  if (a.egress.carved.length) detection.carved_out = { 'DestinationIp|cidr': a.egress.carved };
  if (a.egress.allowCidrs.length)
    detection.filter_allowed_cidr = { 'DestinationIp|cidr': a.egress.allowCidrs };
  if (a.egress.allowDomains.length)
    detection.filter_allowed_domain = {
      'DestinationHostname|re|i': re(a.egress.allowDomains.map(domainRegex)),
    };
  const internal = a.egress.internal.length
    ? a.egress.carved.length
      ? ' and not (filter_internal and not carved_out)'
      : ' and not filter_internal'
    : '';
  const allowed = `${a.egress.allowCidrs.length ? ' and not filter_allowed_cidr' : ''}${a.egress.allowDomains.length ? ' and not filter_allowed_domain' : ''}`;
  detection.condition = `selection${internal}${allowed}`;
  return {
    ...base(
      a,
      n,
      'Connection to an external, non-allowlisted destination (DET0496 S3 part)',
      'One outbound connection outside the internal networks and the allowlist; the repeated-connections correlation makes it S3.',
    ),
    logsource: logsource(a, 'network_connection'),
    detection,
    level: 'informational',
  };
}

function controlRule(a: ExportAnalytic, n: string): Doc {
  const detection: Doc = {
    selection: { 'Image|re|i': re([a.control.children]) },
    filter_by_design: { 'ParentImage|endswith': endsWithName(a, a.control.byDesign) },
  };
  a.control.acceptable.forEach((p, i) => {
    detection[`filter_acceptable_${i}`] = { 'ParentImage|re|i': re([p.parent]), 'Image|re|i': re([p.child]) };
  });
  detection.condition = `selection and not filter_by_design${a.control.acceptable.length ? ' and not 1 of filter_acceptable_*' : ''}`;
  return {
    ...base(
      a,
      n,
      'Shell or recon tool spawned by a program that is not a shell by design (DET0496 S4)',
      'S4 of the DET0496 chain: a shell, interpreter or discovery command started by a program whose job is not to start shells.',
    ),
    logsource: logsource(a, 'process_creation'),
    detection,
    level: 'low',
  };
}

function suspiciousRule(a: ExportAnalytic, n: string): Doc {
  return {
    ...base(
      a,
      n,
      'Suspicious child command line (raises a DET0496 chain)',
      'Encoded commands, download cradles and reverse shells; ratchain raises a chain whose child runs one. Not part of the correlation.',
    ),
    logsource: logsource(a, 'process_creation'),
    detection: { selection: { 'CommandLine|re|i': re(a.control.suspicious) }, condition: 'selection' },
    level: 'medium',
  };
}

function correlation(a: ExportAnalytic, n: string, title: string, body: Doc, level: string): Doc {
  return {
    title,
    id: ruleId(`${a.platform}/${n}`),
    name: n,
    status: 'experimental',
    correlation: body,
    level,
  };
}

export function toSigma(a: ExportAnalytic): string {
  widened = false;
  const p = `ratchain_det0496_${a.platform}`;
  const persistence = persistenceRules(a, `${p}_persistence`);
  const docs: Doc[] = [
    execution(a, `${p}_execution`),
    ...persistence,
    correlation(
      a,
      `${p}_persistence`,
      'Persistence entry made (DET0496 S2)',
      {
        type: 'event_count',
        rules: persistence.map((d) => d.name),
        'group-by': [HOST_FIELD],
        timespan: a.window,
        condition: { gte: 1 },
      },
      'low',
    ),
    egressRule(a, `${p}_connection`),
    correlation(
      a,
      `${p}_egress`,
      'Repeated connections to one external destination (DET0496 S3)',
      {
        type: 'event_count',
        rules: [`${p}_connection`],
        'group-by': [HOST_FIELD, 'DestinationIp'],
        timespan: a.window,
        condition: { gte: a.minConnections },
      },
      'low',
    ),
    controlRule(a, `${p}_control`),
    suspiciousRule(a, `${p}_suspicious_child`),
    correlation(
      a,
      `${p}_chain`,
      `Remote access tool behaviour chain on ${a.platform} (DET0496 ${a.analytic})`,
      {
        type: 'temporal',
        rules: [`${p}_execution`, `${p}_persistence`, `${p}_egress`, `${p}_control`],
        'group-by': [HOST_FIELD],
        timespan: a.window,
        condition: { gte: a.alertSteps },
      },
      'high',
    ),
  ];
  const extra = [
    'correlation across rules is by host only (group-by ComputerName); a backend must support correlation rules',
  ];
  if (widened)
    extra.push(
      'word boundaries (\\b) and shorthand classes are outside the Sigma regex dialect: classes are spelled out and boundaries dropped, so those patterns match a little more',
    );
  const header = headerLines(a, 'Sigma', extra).map((l) => `# ${l}`);
  return `${header.join('\n')}\n${docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')}`;
}
