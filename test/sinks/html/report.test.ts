// The HTML report as a string: one self-contained file (no external resources), the findings
// embedded once, and hostile finding text unable to close the data element or add markup.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, renderHtml, scriptSafeJson } from '../../../src/sinks/html/report.ts';
import { syntheticFindings } from '../../fixtures/findings/synthetic.ts';
import { fullChain, HOSTILE, partialChain } from '../../support/findings.ts';

const FIXED = { generated: new Date('2026-11-04T00:00:00Z') };

function embedded(html: string): { findings: Array<{ id: string; title: string }> } {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the data element is present');
  return JSON.parse(m[1]);
}

describe('renderHtml', () => {
  it('embeds every finding once, as JSON the page can parse back', () => {
    const html = renderHtml([fullChain(), partialChain()], undefined, FIXED);
    const data = embedded(html);
    assert.deepEqual(
      data.findings.map((f) => f.id),
      [fullChain().id, partialChain().id],
    );
    assert.equal(
      html.split(fullChain().id).length - 1,
      1,
      'the id appears once: no server-side copy of the data',
    );
  });

  it('references nothing outside the file and forbids it by Content-Security-Policy', () => {
    const html = renderHtml(syntheticFindings(50), undefined, FIXED);
    assert.doesNotMatch(html, /\s(src|href)=["']?(https?:)?\/\//i);
    assert.doesNotMatch(html, /<link\b|@import|\burl\(/i); // CSS url(), not createObjectURL(
    assert.match(
      html,
      /Content-Security-Policy" content="default-src 'none';[^"]*script-src 'sha256-[A-Za-z0-9+/=]+'/,
    );
  });

  it('cannot be broken out of by a command line containing </script><img onerror>', () => {
    const evil = fullChain({
      title: HOSTILE,
      summary: `cmd.exe /c "${HOSTILE}"`,
      host: HOSTILE,
      user: '<b>&amp;',
    });
    const html = renderHtml([evil], undefined, { ...FIXED, title: HOSTILE });
    // Exactly the two script elements the report writes: the data and the page script.
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.equal(html.match(/<script/gi)?.length, 2);
    assert.doesNotMatch(html, /<img/i);
    // The text survives intact for the reader.
    assert.equal(embedded(html).findings[0].title, HOSTILE);
  });

  it('escapes JSON and HTML for the places they go', () => {
    assert.equal(scriptSafeJson('</script>&\u2028'), '"\\u003c/script\\u003e\\u0026\\u2028"');
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('stays small with 2,000 findings', { timeout: 120_000 }, () => {
    const findings = syntheticFindings(2000);
    const html = renderHtml(findings, undefined, FIXED);
    const json = JSON.stringify(findings).length;
    // The page adds a fixed amount (CSS + script + shell) on top of the data itself.
    assert.ok(html.length < json * 1.05 + 60_000, `html ${html.length} bytes for ${json} bytes of findings`);
  });
});
