import { describe, expect, it } from 'vitest';
import { claimPageMeta, withPageMeta } from '../../local/web/claim-page-meta';

const SHELL = '<html><head><meta charset="UTF-8" /><title>送礼物 · songli</title></head><body><div id="app"></div></body></html>';

describe('the meta of a claim page', () => {
  it('says the same generic words for every link when no preview is given', () => {
    expect(claimPageMeta('http://127.0.0.1:3000')).toEqual({
      title: '你收到一份礼物',
      description: '朋友送你一份礼物，点开看看吧。',
      image: { url: 'http://127.0.0.1:3000/og-image.png', width: 1200, height: 630, alt: '一个系着丝带的礼盒' },
    });
    expect(claimPageMeta('https://gift.example', null).image.url).toBe('https://gift.example/og-image.png');
  });

  it('names the giver and the product from the public preview, and only those', () => {
    const open = claimPageMeta('http://h', { giverName: '小明', product: { title: '羊绒围巾' }, open: true });
    expect([open.title, open.description]).toEqual(['小明送你一份礼物', '羊绒围巾，点开领取。']);
    const anonymous = claimPageMeta('http://h', { giverName: null, product: { title: '羊绒围巾' }, open: false });
    expect([anonymous.title, anonymous.description]).toEqual(['你收到一份礼物', '羊绒围巾，这份礼物已不能领取。']);
  });

  it('replaces the title and escapes what a giver may have typed', () => {
    const meta = claimPageMeta('http://h', { giverName: '"><script>alert(1)</script>', product: { title: "A&B's <b>" }, open: true });
    const html = withPageMeta(SHELL, meta);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('songli</title>');
    expect(html).toContain('<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;送你一份礼物 · 送礼物</title>');
    expect(html).toContain('<meta property="og:description" content="A&amp;B&#39;s &lt;b&gt;，点开领取。" />');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html).toContain('<div id="app"></div>');
  });

  it('refuses a shell without a title rather than serving a page without tags', () => {
    expect(() => withPageMeta('<html></html>', claimPageMeta('http://h'))).toThrow(/title/);
  });
});
