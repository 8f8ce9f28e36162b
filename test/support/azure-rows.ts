// Azure Monitor rows as a Log Analytics export writes them (one JSON object per line, in the
// table's column order): VMConnection, and Syslog carrying AUOMS audit text. Shared by the reader
// tests and the fuzz seeds, so both start from the same documented shape.

/** A VMConnection row (an outbound TCP session of relayd on WEB1); `fields` replaces columns in place. */
export function vmConnectionRow(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    TimeGenerated: '2023-11-14T22:13:20.000Z',
    Computer: 'WEB1',
    Direction: 'outbound',
    ProcessName: 'relayd',
    SourceIp: '10.0.0.5',
    DestinationIp: '203.0.113.50',
    DestinationPort: 443,
    Protocol: 'tcp',
    BytesSent: 5000,
    BytesReceived: 100,
    LinksEstablished: 1,
    LinksTerminated: 0,
    LinksLive: 1,
    ConnectionId: 'ABC',
    Type: 'VMConnection',
    ...fields,
  });
}

/** A Syslog row whose message is `msg`, as auoms forwards it. */
export function syslogRow(msg: string, host = 'UBUNTU9', time = '2023-11-14T22:13:20Z'): string {
  return JSON.stringify({
    TimeGenerated: time,
    Computer: host,
    HostName: host,
    Facility: 'user',
    ProcessName: 'auoms',
    SyslogMessage: msg,
    Type: 'Syslog',
  });
}

/** An AUOMS_EXECVE message with audit serial `serial` at `epoch` seconds; `rest` holds its fields. */
export function auomsExecve(serial: number, rest: string, epoch = 1700000000): string {
  return `type=AUOMS_EXECVE audit(${epoch}.${String(serial).padStart(3, '0')}:${serial}): SchemaVersion="1" syscall=execve success=yes exit=0 ${rest} redactors= containerid=`;
}
