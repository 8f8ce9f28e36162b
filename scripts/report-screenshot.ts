// Regenerates docs/report.png: the HTML report of the shipped examples in headless Debian
// Chromium, the AnyDesk finding opened with its persistence record's raw event shown. Run after
// `npm run build`: node --import tsx scripts/report-screenshot.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/support/chromium.ts';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ratchain-report-'));
const html = join(dir, 'report.html');
execFileSync(process.execPath, ['dist/ratchain.mjs', 'hunt', 'examples/', '--html', html, '-q'], {
  cwd: root,
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1750 } });
  await page.goto(`file://${html}`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.locator('#rows tr', { hasText: 'AnyDesk on WS-FIN-07' }).first().click();
  await page.click('#step-persistence summary');
  await page.click('#ev-persistence-0 .raw-btn');
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(root, 'docs/report.png') });
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
