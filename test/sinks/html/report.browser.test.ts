// The HTML report in a real browser (Debian chromium, headless, via playwright-core): a report of
// 2,000 findings opens offline, shows the overview, opens a finding's timeline and evidence, keeps
// hostile text as text, logs no console errors, and is screenshotted. Skips visibly without
// /usr/bin/chromium; in CI (process.env.CI) a missing chromium is a failure.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../../src/sinks/html/report.ts';
import { syntheticFindings } from '../../fixtures/findings/synthetic.ts';
import { CHROMIUM, launchChromium } from '../../support/chromium.ts';
import { fullChain, HOSTILE } from '../../support/findings.ts';

const RUN = {
  inputs: 12,
  bytes: 48_500_000,
  events: 301_234,
  problems: 3,
  minTime: Date.UTC(2026, 10, 3),
  maxTime: Date.UTC(2026, 10, 4),
  seconds: 9.5,
};
const present = existsSync(CHROMIUM);
if (!present && process.env.CI)
  throw new Error(`${CHROMIUM} is missing in CI: install the Debian chromium package`);
const skip = present ? false : `${CHROMIUM} not found: install Debian chromium to run the browser test`;
if (skip) process.stderr.write(`SKIP html report browser test: ${skip}\n`);

describe('HTML report in headless Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  const problems: string[] = [];
  const requests: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ratchain-html-'));
    const findings = syntheticFindings(2000);
    // The first finding carries a script-injection attempt in every text field it renders.
    findings[0] = fullChain({
      id: 'evil000000000000000000aa',
      title: HOSTILE,
      summary: HOSTILE,
      host: HOSTILE,
      score: 100,
    });
    findings[0].steps[3] = { ...findings[0].steps[3], summary: `cmd.exe /c "${HOSTILE}"` };
    writeFileSync(
      join(dir, 'report.html'),
      renderHtml(findings, RUN, { generated: new Date('2026-11-04T00:00:00Z') }),
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens 2,000 findings and shows the overview and the first page of the list', async () => {
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 120_000 });
    assert.equal(await page.textContent('#sev-cards .card:first-child .n'), '2000');
    assert.match((await page.textContent('#overview')) ?? '', /By host[\s\S]*By tool[\s\S]*By analytic/);
    assert.match((await page.textContent('#run')) ?? '', /inputs12 \(48\.5 MB\)events301234problems3/);
    // Lazy rendering: one page of rows, not 2,000.
    assert.equal(await page.locator('#rows tr').count(), 200);
    assert.equal(await page.textContent('#count'), 'showing 200 of 2000 findings');
  });

  it('filters by severity from the overview', async () => {
    await page.click('#sev-cards .card[data-sev="low"]');
    const rows = await page.locator('#rows tr .badge').allTextContents();
    assert.ok(rows.length > 0 && rows.every((r) => r === 'low'), 'only low findings listed');
    await page.click('#clear');
    assert.equal(await page.locator('#rows tr').count(), 200);
  });

  it("opens a finding's timeline with its evidence one click away, and the explanation", async () => {
    await page.click('#rows tr[data-id="evil000000000000000000aa"]');
    await page.waitForSelector('#detail svg.timeline circle');
    assert.equal(await page.locator('#detail svg.timeline circle').count(), 1 + 1 + 5 + 1);
    assert.equal(await page.isVisible('#ev-persistence-0'), false);
    await page.click('#detail svg.timeline circle[data-ev="persistence-0"]');
    assert.equal(await page.isVisible('#ev-persistence-0'), true);
    assert.match(
      (await page.textContent('#ev-persistence-0')) ?? '',
      /logs\/ws-fin-07-sysmon\.xml:3 record 9120 \(event-xml 7045\)/,
    );
    assert.match(
      (await page.textContent('#explanation')) ?? '',
      /S2 persistence counts because the agent registered itself/,
    );
    assert.match(
      (await page.textContent('#explanation')) ?? '',
      /Sum 105, clamped to 100: score 100, severity critical\./,
    );
  });

  it('shows hostile text as text: no injected element, no dialog', async () => {
    assert.equal(await page.textContent('#detail-title'), HOSTILE);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => document.scripts.length), 2);
  });

  it('takes a screenshot, with no console errors and no network requests', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    assert.ok(statSync(shot).size > 10_000, 'screenshot written');
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
  });
});
