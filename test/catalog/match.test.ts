// The matcher names agents by metadata first, says when evidence fits several tools, and keeps
// vendor-domain allowlists tight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { createCatalog, domainMatches, imageKey, installPathRegex } from '../../src/catalog/match.ts';
import type { CatalogTool } from '../../src/catalog/types.ts';

const catalog = builtinCatalog();

function tool(id: string, over: Partial<CatalogTool> = {}): CatalogTool {
  return {
    id,
    name: id,
    category: 'remote_support',
    executables: [],
    originalFileNames: [],
    products: [],
    companies: [],
    signers: [],
    paths: { windows: [], linux: [], macos: [] },
    services: [],
    systemdUnits: [],
    launchdLabels: [],
    bundleIds: [],
    domains: [],
    ports: [],
    source: 'test',
    ...over,
  };
}

describe('matchImage', () => {
  it('names a renamed AnyDesk by the OriginalFileName it kept', () => {
    const m = catalog.matchImage({
      image: 'C:\\Users\\bob\\Downloads\\invoice_2024.exe',
      originalFileName: 'AnyDesk.exe',
      product: 'AnyDesk',
      company: 'AnyDesk Software GmbH',
    });
    assert.equal(m?.tool.id, 'anydesk');
    assert.equal(m?.tool.name, 'AnyDesk');
    assert.equal(m?.by, 'original_file_name');
    assert.deepEqual(m?.ambiguous, []);
  });

  it('names a renamed binary by its product or its signer alone', () => {
    assert.equal(
      catalog.matchImage({ image: 'C:\\tmp\\x.exe', product: 'TeamViewer' })?.tool.id,
      'teamviewer',
    );
    const bySigner = catalog.matchImage({ image: '/tmp/x', signer: 'Splashtop Inc.' });
    assert.equal(bySigner?.tool.id, 'splashtop');
    assert.equal(bySigner?.by, 'signer');
  });

  it('compares vendor names without case or punctuation', () => {
    const m = catalog.matchImage({
      image: 'C:\\a\\b.exe',
      signer: 'CONNECTWISE LLC',
      originalFileName: 'ScreenConnect.ClientService.exe',
    });
    assert.equal(m?.tool.id, 'screenconnect');
  });

  it('gives an unknown binary no name', () => {
    assert.equal(
      catalog.matchImage({
        image: 'C:\\Users\\bob\\AppData\\Local\\Temp\\svc-update.exe',
        product: 'Updater',
        company: 'Acme',
      }),
      undefined,
    );
  });

  it('never names a tool from an operating-system signer alone', () => {
    assert.equal(
      catalog.matchImage({
        image: 'C:\\Windows\\System32\\cmd.exe',
        signer: 'Microsoft Windows',
        company: 'Microsoft Corporation',
      }),
      undefined,
    );
    // ...but the file name still names Microsoft's own remote tools.
    assert.equal(
      catalog.matchImage({
        image: 'C:\\Windows\\System32\\quickassist.exe',
        company: 'Microsoft Corporation',
      })?.tool.id,
      'quick-assist',
    );
  });

  it('says so when the evidence fits several tools equally', () => {
    const m = catalog.matchImage({ image: 'C:\\Users\\bob\\Downloads\\x.exe', signer: 'ConnectWise, LLC' });
    assert.ok(m);
    const ids = [m.tool.id, ...m.ambiguous.map((t) => t.id)].sort();
    assert.deepEqual(ids, ['connectwise-automate', 'screenconnect']);
  });

  it('lets more evidence settle an ambiguity', () => {
    const m = catalog.matchImage({ image: 'C:\\Windows\\LTSvc\\LTSVC.exe', signer: 'ConnectWise, LLC' });
    assert.equal(m?.tool.id, 'connectwise-automate');
    assert.deepEqual(m?.ambiguous, []);
  });

  it('names a generic file name only inside its install path', () => {
    assert.equal(catalog.matchImage({ image: 'C:\\Users\\bob\\Downloads\\agent.exe' }), undefined);
    const m = catalog.matchImage({
      image: 'C:\\Program Files (x86)\\N-able Technologies\\Windows Agent\\bin\\agent.exe',
    });
    assert.equal(m?.tool.id, 'n-able-ncentral');
    assert.equal(m?.by, 'path');
  });

  it('matches directory and home-relative install paths on every platform', () => {
    assert.equal(
      catalog.matchImage({ image: '/opt/screenconnect-0a1b2c3d/ClientService' })?.tool.id,
      'screenconnect',
    );
    assert.equal(
      catalog.matchImage({ image: '/usr/local/mesh_services/meshagent/meshagent' })?.tool.id,
      'meshcentral',
    );
    assert.equal(
      catalog.matchImage({ image: '\\Device\\HarddiskVolume3\\Program Files\\TeamViewer\\TeamViewer.exe' })
        ?.tool.id,
      'teamviewer',
    );
    const c = createCatalog([
      tool('x', { paths: { windows: [], linux: [], macos: ['~/Library/Application Support/X/'] } }),
    ]);
    assert.equal(c.matchImage({ image: '/Users/ann/Library/Application Support/X/x-agent' })?.tool.id, 'x');
    assert.equal(c.matchImage({ image: '/Library/Application Support/X/x-agent' }), undefined);
  });

  it('names a macOS binary by its signing identifier (bundle id or a helper below it)', () => {
    const m = catalog.matchImage({ image: '/private/tmp/x', signingId: 'com.philandro.anydesk' });
    assert.equal(m?.tool.id, 'anydesk');
    assert.equal(m?.by, 'bundle_id');
    assert.equal(
      catalog.matchImage({ image: '/tmp/y', signingId: 'com.teamviewer.TeamViewer.Desktop' })?.tool.id,
      'teamviewer',
    );
    assert.equal(catalog.matchImage({ image: '/tmp/z', signingId: 'com.apple.ls' }), undefined);
  });

  it('treats a lone "-" metadata value as absent', () => {
    assert.equal(
      catalog.matchImage({ image: 'C:\\a\\b.exe', originalFileName: '-', product: '-' }),
      undefined,
    );
  });

  it('trusts an imported signer only together with other evidence', () => {
    const imported = tool('wrapped', {
      source: 'lolrmm',
      signers: ['win.rar gmbh', 'some vendor ltd'],
      executables: ['wrapped.exe'],
    });
    const c = createCatalog([imported]);
    assert.equal(c.matchImage({ image: 'C:\\x\\y.exe', signer: 'Some Vendor Ltd' }), undefined);
    assert.equal(
      c.matchImage({ image: 'C:\\x\\wrapped.exe', signer: 'Some Vendor Ltd' })?.tool.id,
      'wrapped',
    );
  });
});

describe('matchEntry', () => {
  it('names services, units, plists and registry keys', () => {
    assert.equal(catalog.matchEntry('ScreenConnect Client (8f2b1c0a9d3e4f57)')?.tool.id, 'screenconnect');
    const unit = catalog.matchEntry('/etc/systemd/system/anydesk.service');
    assert.equal(unit?.tool.id, 'anydesk');
    assert.equal(unit?.by, 'systemd_unit');
    assert.equal(catalog.matchEntry('rustdesk')?.tool.id, 'rustdesk');
    assert.equal(
      catalog.matchEntry('HKLM\\SYSTEM\\CurrentControlSet\\Services\\AteraAgent\\ImagePath')?.tool.id,
      'atera',
    );
    const plist = catalog.matchEntry('/Library/LaunchDaemons/com.teamviewer.teamviewer_service.plist');
    assert.equal(plist?.tool.id, 'teamviewer');
    assert.equal(plist?.by, 'launchd_label');
    assert.equal(catalog.matchEntry('chrome-remote-desktop@ann.service')?.tool.id, 'chrome-remote-desktop');
    assert.equal(catalog.matchEntry('Updater'), undefined);
  });
});

describe('vendor domains', () => {
  it('names the vendor of a destination, most specific pattern first', () => {
    assert.equal(catalog.matchDomain('relay-4b2a19c7.net.anydesk.com')?.id, 'anydesk');
    assert.equal(catalog.matchDomain('ROUTER7.TeamViewer.com.')?.id, 'teamviewer');
    assert.equal(catalog.matchDomain('anydesk.com.attacker.example'), undefined);
    assert.equal(catalog.matchDomain('notanydesk.com'), undefined);
    const c = createCatalog([
      tool('broad', { domains: ['*.example.com'] }),
      tool('narrow', { domains: ['*.relay.example.com'] }),
    ]);
    assert.deepEqual(
      c.matchDomainAll('a.relay.example.com').map((t) => t.id),
      ['narrow', 'broad'],
    );
  });

  it('an allowlist preset covers an approved tool talking to its vendor cloud, not elsewhere', () => {
    // What the engine does for ExternalIPAllowlist.presets: [anydesk].
    const preset = ['anydesk'].flatMap((id) => catalog.byId(id)?.domains ?? []);
    const allowed = (host: string) => preset.some((d) => domainMatches(d, host));
    assert.ok(allowed('relay-4b2a19c7.net.anydesk.com'));
    assert.ok(allowed('boot.net.anydesk.com'));
    assert.ok(!allowed('c2.attacker.example'), 'the same tool talking to someone else is not allowed');
    assert.ok(!allowed('anydesk.com.attacker.example'));
    assert.ok(!allowed('router7.teamviewer.com'), 'another vendor is not allowed by the anydesk preset');
  });

  it('matches glob patterns with wildcards inside a label', () => {
    assert.ok(domainMatches('relay-*.net.anydesk.com', 'relay-12ab.net.anydesk.com'));
    assert.ok(!domainMatches('relay-*.net.anydesk.com', 'relay-12ab.net.anydesk.com.evil.example'));
    assert.ok(domainMatches('*.example.com', 'example.com'));
  });
});

describe('byId', () => {
  it('finds tools by id or alias, in any case', () => {
    assert.equal(catalog.byId('AnyDesk')?.name, 'AnyDesk');
    assert.equal(catalog.byId('connectwise-control')?.id, 'screenconnect');
    assert.equal(catalog.byId('no-such-tool'), undefined);
  });
});

describe('path forms', () => {
  it('compares image paths without drive, volume or case', () => {
    assert.equal(imageKey('C:\\Program Files\\X\\x.exe'), '/program files/x/x.exe');
    assert.equal(imageKey('\\??\\C:\\X\\x.exe'), '/x/x.exe');
    assert.ok(
      installPathRegex('%ProgramFiles(x86)%\\AnyDesk\\AnyDesk.exe').test(
        '/program files (x86)/anydesk/anydesk.exe',
      ),
    );
    assert.ok(installPathRegex('%LocalAppData%\\X\\').test('/users/bob/appdata/local/x/y.exe'));
  });
});
