// The HTML report in a real browser (Debian chromium, headless, via playwright-core), every
// interaction at 1400 px (a desktop) and at 390 px (a phone): a report of 2,000 findings opens
// offline, shows the overview, sorts by each column both ways (by the headers on a desktop, by
// the sort select on a phone, whose table hides the tool and time columns), filters by a time
// range (typed or dragged on the fleet timeline, which zooms), opens a finding's timeline and
// evidence, keeps hostile text as text, and exports the filtered findings as CSV and JSON; the
// report of the shipped examples shows the raw record behind each piece of evidence, ATT&CK links
// and the remediation, prints the open finding in full, and nothing is wider than the viewport
// (measured on the page and on its screenshots). Skips visibly without /usr/bin/chromium; in CI
// (process.env.CI) a missing chromium is a failure.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../../src/sinks/html/report.ts';
import { terminalSafe } from '../../../src/sinks/terminal-text.ts';
import { syntheticFindings } from '../../fixtures/findings/synthetic.ts';
import { CHROMIUM, launchChromium } from '../../support/chromium.ts';
import { runCli } from '../../support/cli.ts';
import { fullChain, HOSTILE } from '../../support/findings.ts';
import { pngSize } from '../../support/png.ts';

const RUN = {
  inputs: 12,
  bytes: 48_500_000,
  events: 301_234,
  problems: 3,
  minTime: Date.UTC(2026, 10, 3),
  maxTime: Date.UTC(2026, 10, 4),
  seconds: 9.5,
};
const CONTROL_TITLE = 'invoice\u202Efdp.exe \x1b]0;owned\x07\x1b[2J';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI)
  throw new Error(`${CHROMIUM} is missing in CI: install the Debian chromium package`);
const skip = present ? false : `${CHROMIUM} not found: install Debian chromium to run the browser test`;
if (skip) process.stderr.write(`SKIP html report browser test: ${skip}\n`);

/** One browser for the file (a launch costs about 2 s of CPU); each page has a context of its own. */
let launched: Promise<Browser> | undefined;
const browser = (): Promise<Browser> => {
  launched ??= launchChromium();
  return launched;
};
after(async () => {
  await (await launched)?.close();
});

/** A desktop and a phone: every interaction is tried at both. */
const WIDTHS = [1400, 390] as const;

for (const width of WIDTHS)
  describe(`HTML report in headless Chromium at ${width} px`, { skip }, () => {
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
      findings[1] = fullChain({
        id: 'formula00000000000000000',
        title: '=HYPERLINK("http://x.example/")',
        score: 99,
      });
      // A finding whose text carries terminal escapes and a bidi override, as a hostile log can.
      findings[2] = fullChain({
        id: 'ctrl00000000000000000000',
        title: CONTROL_TITLE,
        host: 'ws\u202e01',
        score: 98,
      });
      writeFileSync(
        join(dir, 'report.html'),
        renderHtml(findings, RUN, { generated: new Date('2026-11-04T00:00:00Z') }),
      );
      page = await (await browser()).newPage({ viewport: { width, height: 1000 } });
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
      await page?.close();
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

    it('shows control and format characters escaped, as the terminal report does', async () => {
      await page.click('#rows tr[data-id="ctrl00000000000000000000"]');
      // The detail follows the URL hash (an event after the click), and the previous finding's
      // title is still there until then: wait for the row to be marked selected, which the same
      // render does just before it writes the title.
      await page.waitForSelector('#rows tr.sel[data-id="ctrl00000000000000000000"]');
      assert.equal(await page.textContent('#detail-title'), terminalSafe(CONTROL_TITLE));
      // Everything the finding puts on the page: its row, its detail, the overview and fleet chart.
      const text = (await page.locator('#rows, #detail, #overview, #fleet-chart').allTextContents()).join(
        '\n',
      );
      assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f\u202e]/);
      assert.match(text, /ws\\u\{202e\}01/);
    });

    /** Sorts as a person would: by the column header on a desktop, by the select on a phone. */
    async function sortBy(key: string, dir: 1 | -1): Promise<void> {
      if (width < 600) {
        await page.selectOption('#sort-by', `${key}:${dir}`);
        return;
      }
      const th = `#list th[data-sort="${key}"]`;
      const want = dir === 1 ? 'ascending' : 'descending';
      await page.click(th);
      if ((await page.getAttribute(th, 'aria-sort')) !== want) await page.click(th);
      assert.equal(await page.getAttribute(th, 'aria-sort'), want);
    }

    it(
      width < 600 ? 'sorts by each key, both ways, from the sort select' : 'sorts by each column, both ways',
      async () => {
        const col = (n: number) => page.locator(`#rows tr td:nth-child(${n})`).allTextContents();
        assert.equal(
          await page.isVisible('#sort-by'),
          width < 600,
          'the select only where columns are hidden',
        );
        assert.equal(await page.isVisible('#list th[data-sort="first"]'), width >= 600);
        await sortBy('score', 1);
        let scores = (await col(2)).map(Number);
        assert.deepEqual(
          scores,
          [...scores].sort((a, b) => b - a),
          'highest score first',
        );
        await sortBy('score', -1);
        scores = (await col(2)).map(Number);
        assert.deepEqual(
          scores,
          [...scores].sort((a, b) => a - b),
          'then lowest first',
        );
        assert.equal(await page.getAttribute('#list th[data-sort="score"]', 'aria-sort'), 'descending');
        assert.equal(await page.inputValue('#sort-by'), 'score:-1', 'the select and the headers agree');
        for (const [key, n] of [
          ['first', 5],
          ['tool', 4],
        ] as const) {
          await sortBy(key, 1);
          const up = await col(n);
          assert.deepEqual(up, [...up].sort(), `${key} ascending`);
          await sortBy(key, -1);
          const down = await col(n);
          assert.deepEqual(down, [...down].sort().reverse(), `${key} descending`);
        }
        await sortBy('host', 1);
        const hosts = (await page.locator('#rows tr td:nth-child(3) .status').allTextContents()).map(
          (t) => t.split(' \u00b7 ')[0],
        );
        // Hosts shown escaped (\u{202e}) sort by their raw text: compared without them.
        const plain = hosts.filter((h) => !h.includes('\\'));
        assert.deepEqual(plain, [...plain].sort(), 'host ascending');
        await sortBy('severity', 1);
        const sev = await page.locator('#rows tr .badge').allTextContents();
        assert.equal(sev[0], 'critical');
      },
    );

    it('filters by a typed time range, and the fleet timeline zooms to it', async () => {
      const span = () => page.textContent('#fleet-info');
      const before = await span();
      await page.fill('#from', '2026-11-03T12:00:00');
      await page.dispatchEvent('#from', 'change');
      await page.fill('#to', '2026-11-03T14:00:00');
      await page.dispatchEvent('#to', 'change');
      const count = (await page.textContent('#count')) ?? '';
      const n = Number(/of (\d+) findings/.exec(count)?.[1]);
      assert.ok(n > 0 && n < 2000, count);
      assert.match(
        (await page.textContent('#active')) ?? '',
        /time 2026-11-03T12:00:00Z \.\. 2026-11-03T14:00:00Z/,
      );
      assert.notEqual(await span(), before);
      assert.match((await span()) ?? '', /^2026-11-03T12:00:00Z \.\. 2026-11-03T14:00:00Z/);
      const drawn = await page.locator('#fleet-svg rect.f').count();
      assert.ok(drawn > 0);
      await page.click('#zoom-out');
      assert.match((await span()) ?? '', /^2026-11-03T11:00:00Z \.\. 2026-11-03T15:00:00Z/);
      await page.click('#zoom-reset');
      const whole = (before ?? '').split(' \u00b7 ')[0];
      assert.equal((await span())?.split(' \u00b7 ')[0], whole, 'back to the whole range');
    });

    it('filters by a range dragged across the fleet timeline', async () => {
      await page.click('#clear');
      await page.locator('#fleet-svg').scrollIntoViewIfNeeded();
      const box = (await page.locator('#fleet-svg').boundingBox())!;
      const y = box.y + 12;
      await page.mouse.move(box.x + box.width * 0.5, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
      await page.mouse.up();
      const from = await page.inputValue('#from');
      const to = await page.inputValue('#to');
      assert.match(from, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.ok(to > from, `${from} .. ${to}`);
      const n = Number(/of (\d+) findings/.exec((await page.textContent('#count')) ?? '')?.[1]);
      assert.ok(n > 0 && n < 2000);
    });

    it('exports the filtered findings as CSV and JSON', async () => {
      const shown = Number(/of (\d+) findings/.exec((await page.textContent('#count')) ?? '')?.[1]);
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
      assert.equal(csv.suggestedFilename(), 'ratchain-findings.csv');
      const text = readFileSync((await csv.path())!, 'utf8');
      const lines = text.trim().split('\n');
      assert.equal(
        lines[0],
        'id,severity,status,score,host,tool,analytic,steps,first_seen,last_seen,user,title',
      );
      assert.equal(lines.length - 1, shown);
      const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      const list = JSON.parse(readFileSync((await json.path())!, 'utf8'));
      assert.equal(list.length, shown);
      assert.ok(list.every((f: { schema: string }) => f.schema === 'ratchain.finding/1'));
      // A title that a spreadsheet would run as a formula is defused.
      await page.click('#clear');
      await page.fill('#q', 'formula00000');
      const [evil] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
      const row = readFileSync((await evil.path())!, 'utf8')
        .trim()
        .split('\n')[1];
      assert.match(row, /,"'=HYPERLINK\(""http:\/\/x\.example\/""\)"$/);
      await page.click('#clear');
    });

    it('takes a screenshot, with no console errors and no network requests', async () => {
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: false });
      assert.ok(statSync(shot).size > 10_000, 'screenshot written');
      assert.deepEqual(problems, []);
      assert.deepEqual(requests, []);
    });
  });

/** Elements wider than the viewport that no scrolling container of theirs clips. */
const OVERFLOWING = `(() => {
  function clipped(e) {
    for (let p = e.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  }
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e))
    .slice(0, 5)
    .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
})()`;

describe('HTML report of the shipped examples in headless Chromium', { skip }, () => {
  let dir: string;
  let url: string;
  const problems: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ratchain-html-examples-'));
    const file = join(dir, 'report.html');
    const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
    const r = await runCli('hunt', examples, '-q', '--html', file);
    assert.equal(r.code, 0, r.stderr);
    url = pathToFileURL(file).href;
  });

  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(width: number): Promise<Page> {
    const page = await (await browser()).newPage({ viewport: { width, height: 900 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    await page.locator('#rows tr', { hasText: 'AnyDesk' }).first().click();
    await page.waitForSelector('#detail-title');
    return page;
  }

  for (const width of WIDTHS) {
    it(`shows the raw record behind a piece of evidence, re-read from the input (${width} px)`, async () => {
      const page = await open(width);
      await page.click('#step-persistence summary');
      assert.equal(await page.isVisible('#raw-persistence-0'), false);
      await page.click('#ev-persistence-0 .raw-btn');
      const raw = (await page.textContent('#raw-persistence-0')) ?? '';
      assert.match(raw, /<EventID[^>]*>7045<\/EventID>/);
      assert.match(raw, /AnyDesk/);
      await page.click('#ev-persistence-0 .raw-btn');
      assert.equal(await page.isVisible('#raw-persistence-0'), false);
      await page.close();
    });

    it(`links each technique to ATT&CK and ends the finding with its remediation (${width} px)`, async () => {
      const page = await open(width);
      const links = await page
        .locator('#attack a')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      assert.ok(links.includes('https://attack.mitre.org/techniques/T1219/'));
      assert.ok(links.includes('https://attack.mitre.org/techniques/T1543/003/'));
      assert.ok(links.includes('https://attack.mitre.org/detectionstrategies/DET0496/'));
      const rem = (await page.textContent('#remediation')) ?? '';
      assert.match(rem, /Stop and delete the service AnyDesk/);
      assert.match(rem, /sc\.exe stop "AnyDesk" & sc\.exe delete "AnyDesk"/);
      await page.close();
    });

    it(`prints the open finding in full: no controls, the detail pane uncut, the evidence open (${width} px)`, async () => {
      const page = await open(width);
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      const detail = await page.evaluate(`(() => {
      const d = document.getElementById('detail');
      const s = getComputedStyle(d);
      return { position: s.position, maxHeight: s.maxHeight, overflow: s.overflowY, cut: d.scrollHeight > d.clientHeight + 1,
        filters: getComputedStyle(document.querySelector('.filters')).display,
        closed: document.querySelectorAll('#detail details:not([open])').length };
    })()`);
      assert.deepEqual(detail, {
        position: 'static',
        maxHeight: 'none',
        overflow: 'visible',
        cut: false,
        filters: 'none',
        closed: 0,
      });
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 20_000, 'a printed report');
      await page.close();
    });
  }

  for (const width of WIDTHS) {
    it(`nothing is wider than the viewport at ${width} px (page and full-page screenshot)`, async () => {
      const page = await open(width);
      await page.click('#step-control summary');
      await page.click('#ev-control-0 .raw-btn');
      assert.deepEqual(await page.evaluate(OVERFLOWING), []);
      const shot = await page.screenshot({ fullPage: true, path: join(dir, `report-${width}.png`) });
      assert.equal(pngSize(shot).width, width, 'the full page is as wide as the viewport');
      assert.ok(pngSize(shot).height > 900);
      await page.close();
    });
  }

  it('logged no errors', () => assert.deepEqual(problems, []));
});
