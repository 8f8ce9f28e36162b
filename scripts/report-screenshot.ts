// Regenerates docs/report.png: the HTML report of the shipped examples, one finding opened, in
// headless Debian Chromium. Run after `npm run build`: node --import tsx scripts/report-screenshot.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/support/chromium.ts';

const root = new URL('..', import.meta.url).pathname;
const html = join(mkdtempSync(join(tmpdir(), 'ratchain-report-')), 'report.html');
execFileSync(process.execPath, ['dist/ratchain.mjs', 'hunt', 'examples/', '--html', html, '-q'], {
  cwd: root,
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1750 } });
  await page.goto(`file://${html}`);
  await page.locator('text=AnyDesk on WS-FIN-07').first().click();
  await page.screenshot({ path: join(root, 'docs/report.png') });
} finally {
  await browser.close();
}
