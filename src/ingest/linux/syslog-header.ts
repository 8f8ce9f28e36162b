// The header syslog puts before a program's message: RFC 3164 (`Mar  1 12:00:00 host prog[1]: `)
// or RFC 5424 (`<14>1 2023-03-01T12:00:00Z host prog 1 - - `). Linux sensors that log through
// syslog (audispd, audisp-syslog, sysmon) put their record after it; the host name is in it.

const RFC3164 = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+) /;
const RFC5424 = /^<\d{1,3}>\d{1,2} \d{4}-\d\d-\d\dT\S+ (\S+) /;
const ISO_FIRST = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S* (\S+) /;

/** The host named by a syslog header at the start of `line`, or undefined if there is none. */
export function syslogHost(line: string): string | undefined {
  const m = RFC3164.exec(line) ?? RFC5424.exec(line) ?? ISO_FIRST.exec(line);
  return m?.[1];
}
