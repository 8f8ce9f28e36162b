// The analytic as a KQL query over the Microsoft Defender XDR advanced hunting tables (also in
// Microsoft Sentinel): DeviceProcessEvents, DeviceRegistryEvents, DeviceFileEvents,
// DeviceNetworkEvents, on all three platforms. KQL's regex engine is RE2, the packs' own syntax,
// so patterns pass as they are.
import type { ExportAnalytic } from './analytic.ts';
import { alternation, domainRegex, headerLines } from './header.ts';

/** A KQL verbatim string: @"..." with quotes doubled. */
function str(s: string): string {
  return `@"${s.replace(/"/g, '""')}"`;
}

function list(xs: string[]): string {
  return `dynamic([${xs.map(str).join(', ')}])`;
}

function re(patterns: string[], caseSensitive = false): string {
  return str(`${caseSensitive ? '' : '(?i)'}${alternation(patterns)}`);
}

const v6 = (c: string) => c.includes(':');

function inRanges(field: string, name: string): string {
  return `(iff(${field} has ":", ipv6_is_in_any_range(${field}, ${name}6), ipv4_is_in_any_range(${field}, ${name}4)))`;
}

function ranges(name: string, cidrs: string[]): string[] {
  return [
    `let ${name}4 = ${list(cidrs.filter((c) => !v6(c)))};`,
    `let ${name}6 = ${list(cidrs.filter(v6))};`,
  ];
}

function execution(a: ExportAnalytic): string[] {
  const approved = a.execution.approved.map((x) => {
    const parts = [`FolderPath matches regex ${re(x.images)}`];
    if (x.hosts.length) parts.push(`DeviceName matches regex ${re(x.hosts)}`);
    if (x.paths.length) parts.push(`FolderPath matches regex ${re(x.paths)}`);
    return `    | where not(${parts.join(' and ')}) // ${x.label}`;
  });
  return [
    'let Execution = DeviceProcessEvents',
    `    | where FileName in~ (RemoteAccessTools) or FolderPath matches regex ${re(a.execution.userWritable)}`,
    ...approved,
    '    | project Timestamp, DeviceId, DeviceName, Step = "S1 execution", Process = FolderPath, CommandLine = ProcessCommandLine;',
  ];
}

function persistence(a: ExportAnalytic): string[] {
  const parts: string[] = [];
  const project =
    'project Timestamp, DeviceId, DeviceName, Step = "S2 persistence", Process = InitiatingProcessFolderPath';
  if (a.persistence.registry.length)
    parts.push(
      `    (DeviceRegistryEvents | where ActionType == "RegistryValueSet" | extend Entry = strcat(RegistryKey, @"\\", RegistryValueName) | where Entry matches regex ${re(a.persistence.registry)} | ${project}, CommandLine = Entry)`,
    );
  const files = (cs: boolean) =>
    a.persistence.files.filter((f) => f.caseSensitive === cs).map((f) => f.pattern);
  const fileTests = [
    files(false).length ? `FolderPath matches regex ${re(files(false))}` : '',
    files(true).length ? `FolderPath matches regex ${re(files(true), true)}` : '',
  ].filter(Boolean);
  if (fileTests.length)
    parts.push(
      `    (DeviceFileEvents | where ActionType in ("FileCreated", "FileRenamed") | where ${fileTests.join(' or ')} | ${project}, CommandLine = FolderPath)`,
    );
  const cmdTests = a.persistence.commands.map((c) => {
    const unless = c.unless
      ? ` and not(ProcessCommandLine matches regex ${re([c.unless], c.caseSensitive)})`
      : '';
    return `(ProcessCommandLine matches regex ${re([c.pattern], c.caseSensitive)}${unless})`;
  });
  if (cmdTests.length)
    parts.push(
      `    (DeviceProcessEvents | where ${cmdTests.join(' or ')} | ${project}, CommandLine = ProcessCommandLine)`,
    );
  return ['let Persistence = union', `${parts.join(',\n')};`];
}

function egress(a: ExportAnalytic): string[] {
  return [
    'let Egress = DeviceNetworkEvents',
    '    | where ActionType in ("ConnectionSuccess", "ConnectionAttempt")',
    `    | where not${inRanges('RemoteIP', 'Internal')} or ${inRanges('RemoteIP', 'CarvedOut')}`,
    `    | where not${inRanges('RemoteIP', 'AllowedCidrs')}`,
    ...(a.egress.allowDomains.length
      ? [
          `    | where isempty(RemoteUrl) or not(RemoteUrl matches regex ${re(a.egress.allowDomains.map(domainRegex))})`,
        ]
      : []),
    '    | summarize Connections = count(), Timestamp = min(Timestamp), CommandLine = take_any(InitiatingProcessCommandLine)',
    '        by DeviceId, DeviceName, Process = InitiatingProcessFolderPath, RemoteIP, Bin = bin(Timestamp, Window)',
    '    | where Connections >= MinConnections',
    '    | project Timestamp, DeviceId, DeviceName, Step = "S3 egress", Process, CommandLine;',
  ];
}

function control(a: ExportAnalytic): string[] {
  const acceptable = a.control.acceptable.map(
    (p) =>
      `    | where not(InitiatingProcessFolderPath matches regex ${re([p.parent])} and FolderPath matches regex ${re([p.child])})`,
  );
  return [
    'let Control = DeviceProcessEvents',
    `    | where FolderPath matches regex ${re([a.control.children])}`,
    '    | where not(InitiatingProcessFileName in~ (StartsShellsByDesign))',
    ...acceptable,
    `    | extend Suspicious = ProcessCommandLine matches regex ${re(a.control.suspicious)}`,
    '    | project Timestamp, DeviceId, DeviceName, Step = "S4 control", Process = FolderPath, CommandLine = ProcessCommandLine, Suspicious;',
  ];
}

export function toKql(a: ExportAnalytic): string {
  const header = headerLines(a, 'KQL', [
    'sliding windows: steps are grouped in fixed bins of TimeWindow, so a chain across a bin boundary is split; ratchain slides the window',
  ]).map((l) => `// ${l}`);
  const body = [
    `let Window = ${a.window};`,
    `let AlertSteps = ${a.alertSteps};`,
    `let MinConnections = ${a.minConnections};`,
    `let RemoteAccessTools = ${list(a.execution.toolNames)};`,
    `let StartsShellsByDesign = ${list(a.control.byDesign)};`,
    ...ranges('Internal', a.egress.internal),
    ...ranges('CarvedOut', a.egress.carved),
    ...ranges('AllowedCidrs', a.egress.allowCidrs),
    ...execution(a),
    ...persistence(a),
    ...egress(a),
    ...control(a),
    'union Execution, Persistence, Egress, Control',
    '| summarize Steps = make_set(Step), StepCount = dcount(Step), FirstSeen = min(Timestamp), LastSeen = max(Timestamp),',
    '    Processes = make_set(Process, 16), SuspiciousChildren = countif(Suspicious == true)',
    '    by DeviceId, DeviceName, Bin = bin(Timestamp, Window)',
    '| where StepCount >= AlertSteps',
    '| order by StepCount desc, SuspiciousChildren desc, FirstSeen asc',
  ];
  return `${[...header, ...body].join('\n')}\n`;
}
