import { describe, expect, it } from 'vitest';
import { esc, page, scriptJson } from '../../../src/report/html.ts';

describe('scriptJson()', () => {
  it('keeps text that would close the script element or open a comment out of it', () => {
    const text = scriptJson({ title: '</script><script>alert(1)</script><!--' });
    expect(text).not.toContain('</');
    expect(text).not.toContain('<!--');
    expect(JSON.parse(text)).toEqual({ title: '</script><script>alert(1)</script><!--' });
  });
});

describe('page()', () => {
  it('escapes the title and allows no source but the page itself', () => {
    const html = page({ title: 'a <b> & "c"', nav: [], main: '<p>x</p>' });
    expect(html).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
  });

  it('escapes quotes in attributes', () => {
    expect(esc(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});
