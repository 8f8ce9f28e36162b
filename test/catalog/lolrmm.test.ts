// Importing LOLRMM's rmm_tools.json: messy values are normalized or dropped with a reason, and
// every tool is either imported or reported as skipped.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadCatalog } from '../../src/catalog/index.ts';
import { classifyPath, importLolrmm, normalizeDomain, normalizeOs } from '../../src/catalog/lolrmm.ts';
import { needsData, sharedReference } from '../support/data.ts';

describe('normalizing LOLRMM values', () => {
  it('reads domains written as URLs, host:port and regexes as domain patterns', () => {
    assert.deepEqual(normalizeDomain('*.Example-RMM.com'), { domain: '*.example-rmm.com' });
    assert.deepEqual(normalizeDomain('https://portal.example-rmm.com/agent'), {
      domain: 'portal.example-rmm.com',
      rewritten: 'https://portal.example-rmm.com/agent',
    });
    assert.equal(
      (normalizeDomain('relay-[a-f0-9]{8}.net.example.com:443') as { domain: string }).domain,
      'relay-*.net.example.com',
    );
    assert.equal((normalizeDomain('.*\\.example\\.net') as { domain: string }).domain, '*.example.net');
    assert.equal((normalizeDomain('plus*.site.example') as { domain: string }).domain, 'plus*.site.example');
    assert.equal(
      (normalizeDomain('rescue-list.*.gateway.example') as { domain: string }).domain,
      'rescue-list.*.gateway.example',
    );
    assert.equal(
      (normalizeDomain('upload_data.im.example') as { domain: string }).domain,
      'upload_data.im.example',
    );
  });

  it('drops placeholders, addresses, whole TLDs and shared clouds, saying why', () => {
    const why = (d: string) => (normalizeDomain(d) as { drop: string }).drop;
    assert.match(why('<operator-configured server>'), /placeholder/);
    assert.match(why('user_managed'), /placeholder/);
    assert.match(why('203.0.113.7'), /IP address/);
    assert.match(why('*.com'), /not a DNS name|too broad/);
    assert.match(why('*.amazonaws.com'), /shared cloud/);
  });

  it('spells operating systems one way', () => {
    assert.deepEqual(normalizeOs('MacOS 64bit'), ['macos']);
    assert.deepEqual(normalizeOs('Linux/macOS'), ['linux', 'macos']);
    assert.deepEqual(normalizeOs('windows'), ['windows']);
    assert.deepEqual(normalizeOs('Android'), []);
  });

  it('sorts path values into executables, install paths and persistence entries', () => {
    assert.deepEqual(classifyPath('tool.exe', []), { kind: 'executable', value: 'tool.exe' });
    assert.deepEqual(classifyPath('ARDAgent.app', []), { kind: 'executable', value: 'ardagent' });
    assert.equal(classifyPath('agent.dll', []).kind, 'drop');
    assert.deepEqual(classifyPath('C:\\Program Files\\Vendor\\vendor.exe', []), {
      kind: 'path',
      os: ['windows'],
      value: 'C:\\Program Files\\Vendor\\vendor.exe',
      executable: 'vendor.exe',
    });
    assert.deepEqual(classifyPath('/etc/systemd/system/vendor-agent.service', []), {
      kind: 'systemd_unit',
      value: 'vendor-agent.service',
    });
    assert.deepEqual(classifyPath('/Library/LaunchDaemons/com.vendor.agent.plist', []), {
      kind: 'launchd_label',
      value: 'com.vendor.agent',
    });
    assert.equal(classifyPath('C:\\Program Files\\*', []).kind, 'drop', 'too broad');
    assert.deepEqual((classifyPath('Vendor\\bin\\*', []) as { value: string }).value, '*\\Vendor\\bin\\*');
    assert.deepEqual(
      (classifyPath('/Applications/Vendor.app/Contents/MacOS/Vendor', []) as { os: string[] }).os,
      ['macos'],
    );
  });
});

// A hand-written entry list in LOLRMM's shape, with its usual inconsistencies.
const MESSY = [
  {
    Name: 'Vendor Remote',
    Category: 'RMM',
    Details: {
      PEMetadata: [
        { Filename: 'vr_agent.exe', OriginalFileName: 'VRAgent.exe', Product: 'Vendor Remote' },
        { Filename: 'setup.exe' },
      ],
      SupportedOS: ['Windows', 'Mac'],
      InstallationPaths: ['C:\\Program Files\\Vendor Remote\\*', 'vr_tray.exe', 'vr.log'],
    },
    Artifacts: {
      Network: [
        {
          Domains: ['*.vendor-remote.example', '<customer server>', '198.51.100.2'],
          Ports: [443, '1000-2000'],
        },
      ],
      Registry: [{ Path: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\VRService' }],
      Disk: [{ File: '/Library/LaunchDaemons/com.vendorremote.agent.plist', OS: 'macOS' }],
    },
    CodeSigning: {
      certificates: [{ signer_name: 'Vendor Remote Ltd', src_file_company: 'Vendor Remote Ltd ' }],
    },
  },
  {
    Name: 'vendor remote',
    Category: 'RMM',
    Details: { PEMetadata: { Filename: 'vr_helper.exe' } },
    Artifacts: {},
  },
  {
    Name: 'Signed Only',
    Category: 'RAT',
    Details: {},
    CodeSigning: { certificates: [{ signer_name: 'Somebody' }] },
  },
  { Name: 'Empty', Category: 'RMM', Details: { InstallationPaths: [] }, Artifacts: { Network: [] } },
  { Category: 'RMM' },
];

describe('importing LOLRMM entries', () => {
  const r = importLolrmm(MESSY, 'rmm_tools.json');

  it('imports, merges duplicates and skips with a reason, accounting for every entry', () => {
    assert.deepEqual(
      r.entries.map((e) => [e.index, e.outcome]),
      [
        [0, 'imported'],
        [1, 'merged'],
        [2, 'skipped'],
        [3, 'skipped'],
        [4, 'skipped'],
      ],
    );
    const skipped = r.problems.filter((p) => p.kind === 'skipped').map((p) => `${p.where}: ${p.message}`);
    assert.deepEqual(skipped, [
      'entry 2 (Signed Only): only code-signing names, which never name a tool on their own',
      'entry 3 (Empty): no executable, metadata, path, service or usable domain to recognise it by',
      'entry 4: no Name',
    ]);
  });

  it('normalizes the facts it keeps', () => {
    const t = r.tools[0];
    assert.equal(t.id, 'vendor-remote');
    assert.equal(t.source, 'lolrmm');
    assert.deepEqual(t.executables, ['vr_agent.exe', 'vr_tray.exe', 'vr_helper.exe']);
    assert.deepEqual(t.originalFileNames, ['vragent.exe']);
    assert.deepEqual(t.products, ['vendor remote']);
    assert.deepEqual(t.signers, ['vendor remote ltd']);
    assert.deepEqual(t.paths.windows, ['C:\\Program Files\\Vendor Remote\\*']);
    assert.deepEqual(t.services, ['VRService']);
    assert.deepEqual(t.launchdLabels, ['com.vendorremote.agent']);
    assert.deepEqual(t.domains, ['*.vendor-remote.example']);
    assert.deepEqual(t.ports, [443]);
  });

  it('notes each value it dropped, with the entry and field', () => {
    const notes = r.problems.filter((p) => p.kind === 'note').map((p) => `${p.where}: ${p.message}`);
    const has = (re: RegExp) =>
      assert.ok(
        notes.some((n) => re.test(n)),
        `no note like ${re}\n${notes.join('\n')}`,
      );
    has(/^entry 0 \(Vendor Remote\)\.Details\.PEMetadata\.Filename: "setup\.exe" is too common/);
    has(/^entry 0 \(Vendor Remote\)\.Details\.InstallationPaths: "vr\.log" is not a program file/);
    has(
      /^entry 0 \(Vendor Remote\)\.Artifacts\.Network\.Domains: "<customer server>" dropped: a placeholder/,
    );
    has(/"198\.51\.100\.2" dropped: an IP address/);
    has(/Ports: "1000-2000" dropped: not a single port/);
    has(/^entry 1 \(vendor remote\): same tool as entry 0/);
  });
});

const LOLRMM = sharedReference('lolrmm/rmm_tools.json');

describe('the public LOLRMM catalogue', { ...needsData(LOLRMM) }, () => {
  it('accounts for every one of its tools: imported, merged or skipped with a reason', () => {
    const data = JSON.parse(readFileSync(LOLRMM!, 'utf8')) as unknown[];
    const r = importLolrmm(data, LOLRMM!);
    assert.equal(r.entries.length, data.length);
    assert.deepEqual(
      r.entries.map((e) => e.index),
      data.map((_, i) => i),
    );
    for (const e of r.entries.filter((x) => x.outcome !== 'imported'))
      assert.ok(e.reason, `entry ${e.index} has no reason`);
    const skipped = r.entries.filter((e) => e.outcome === 'skipped').length;
    assert.equal(r.problems.filter((p) => p.kind === 'skipped').length, skipped);
    assert.ok(r.tools.length >= 250, `${r.tools.length} tools imported`);
  });

  it('links its entries to the built-in tools, so one tool has one name', () => {
    const { catalog } = loadCatalog([LOLRMM!]);
    const anydesk = catalog.matchImage({
      image: 'C:\\Users\\bob\\Downloads\\x.exe',
      originalFileName: 'AnyDesk.exe',
    });
    assert.equal(anydesk?.tool.id, 'anydesk');
    assert.equal(anydesk?.tool.name, 'AnyDesk');
    assert.deepEqual(anydesk?.ambiguous, []);
    // A tool only LOLRMM knows is named from it.
    const radmin = catalog.matchImage({ image: 'C:\\tmp\\r.exe', originalFileName: 'RServer3.exe' });
    assert.equal(radmin?.tool.id, 'radmin');
    assert.ok(catalog.tools.some((t) => t.source === 'lolrmm' && t.id === 'komari'));
    assert.equal(catalog.matchImage({ image: 'C:\\x\\komari-agent.exe' })?.tool.id, 'komari');
  });

  it('does not name ordinary Windows programs', () => {
    const { catalog } = loadCatalog([LOLRMM!]);
    for (const image of [
      'cmd.exe',
      'powershell.exe',
      'svchost.exe',
      'explorer.exe',
      'notepad.exe',
      'chrome.exe',
      'winrar.exe',
    ]) {
      const m = catalog.matchImage({
        image: `C:\\Windows\\System32\\${image}`,
        signer: 'Microsoft Windows',
        company: 'Microsoft Corporation',
      });
      assert.equal(m, undefined, `${image} named ${m?.tool.id} by ${m?.by}`);
    }
  });
});
