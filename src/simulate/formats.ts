// The formats `ratchain simulate` writes, apart from the writers so the command line can list them
// without loading the generator.
export const SIM_FORMATS = [
  'sysmon-xml',
  'winlogbeat-json',
  'evtx',
  'auditd',
  'eslogger',
  'osquery',
  'zeek-conn',
] as const;
export type SimFormat = (typeof SIM_FORMATS)[number];
