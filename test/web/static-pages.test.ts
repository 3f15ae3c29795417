/**
 * The local server's pages over real HTTP: compressed as the client accepts, cached for a year when the name is
 * hashed and revalidated otherwise, icons, no source maps, and /g/<token> with Open Graph tags that reveal nothing
 * private. The pages are built with the project's own Vite config.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE, mountWebPages } from '../../local/web-pages';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { buildPages, rawGet } from '../support/built-pages';
import { claimAndAccept, sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
const webRoot = join(tmp.dir, 'web');
let t: TestServer;
let js = '';
let css = '';

const decode = (r: { headers: Record<string, string>; body: Buffer }) => {
  const coding = r.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(r.body);
  if (coding === 'gzip') return gunzipSync(r.body);
  expect(coding).toBeUndefined();
  return r.body;
};
const metaOf = (html: string, key: string) =>
  new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`).exec(html)?.[1];

beforeAll(async () => {
  await buildPages(webRoot);
  const assets = readdirSync(join(webRoot, 'assets'));
  // The entry script (the 省/市/区 tables are a chunk of their own, loaded later by the address form).
  js = `/assets/${assets.find((f) => f.startsWith('index-') && f.endsWith('.js'))}`;
  css = `/assets/${assets.find((f) => f.endsWith('.css'))}`;
  t = await startTestServer({ dataDir: join(tmp.dir, 'data'), clock: new FixedClock(new Date()), webRoot });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  tmp.remove();
});

describe('the built pages', () => {
  it('hold no source maps, and the bundles point to none', () => {
    const all = readdirSync(webRoot, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of all.filter((f) => f.endsWith('.js'))) expect(readFileSync(join(webRoot, f), 'utf8')).not.toContain('sourceMappingURL');
  });

  it('answer no source map even when one is left on disk', async () => {
    writeFileSync(join(webRoot, `${js.slice(1)}.map`), '{"version":3,"sources":["secret.ts"]}');
    for (const path of [`${js}.map`, '/index.html.map']) {
      const r = await t.api('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('ROUTE_NOT_FOUND');
    }
  });
});

describe('compression', () => {
  it('sends brotli when accepted, gzip when brotli is refused, the plain bytes when nothing is accepted', async () => {
    const plain = readFileSync(join(webRoot, js));
    const cases: Array<[string | undefined, string | undefined]> = [
      ['gzip, deflate, br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0.5, br;q=0.4', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      [undefined, undefined],
    ];
    for (const [accept, coding] of cases) {
      const r = await rawGet(t.server.url + js, accept ? { 'accept-encoding': accept } : {});
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding'], String(accept)).toBe(coding);
      expect(r.headers.vary).toBe('accept-encoding');
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(decode(r).equals(plain)).toBe(true);
      if (coding) expect(r.body.length).toBeLessThan(plain.length / 2);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await rawGet(t.server.url + js, { 'accept-encoding': 'br' });
    const head = await rawGet(t.server.url + js, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-type', 'content-encoding', 'content-length', 'cache-control', 'etag'])
      expect(head.headers[h], h).toBe(get.headers[h]);
  });

  it('compresses the stylesheet, the HTML and the SVG icon, not the PNGs', async () => {
    for (const path of [css, '/', '/favicon.svg', '/sw.js']) {
      const r = await rawGet(t.server.url + path, { 'accept-encoding': 'gzip' });
      expect(r.headers['content-encoding'], path).toBe('gzip');
    }
    const png = await rawGet(`${t.server.url}/apple-touch-icon.png`, { 'accept-encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.equals(readFileSync(join(webRoot, 'apple-touch-icon.png')))).toBe(true);
  });
});

describe('caching', () => {
  it('keeps hashed bundles for a year, immutable', async () => {
    for (const path of [js, css]) expect((await rawGet(t.server.url + path)).headers['cache-control']).toBe(CACHE.immutable);
    expect(CACHE.immutable).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates index.html and the service worker, answering 304 while unchanged', async () => {
    for (const path of ['/', '/index.html', '/sw.js']) {
      const first = await rawGet(t.server.url + path, { 'accept-encoding': 'br' });
      expect(first.headers['cache-control'], path).toBe('no-cache');
      expect(first.headers.etag).toMatch(/^W\/".+"$/);
      const again = await rawGet(t.server.url + path, { 'if-none-match': first.headers.etag!, 'accept-encoding': 'gzip' });
      expect(again.status, path).toBe(304);
      expect(again.body.length).toBe(0);
      expect((await rawGet(t.server.url + path, { 'if-none-match': 'W/"other"' })).status).toBe(200);
    }
  });

  it('serves index.html with absolute asset addresses, so the same shell works under /g/<token>', async () => {
    const html = decode(await rawGet(`${t.server.url}/`)).toString('utf8');
    expect(html).toContain(`src="${js}"`);
    expect(html).toContain(`href="${css}"`);
    expect(html).not.toMatch(/(src|href)="\.\//);
  });
});

describe('icons', () => {
  it('links an SVG favicon and an apple-touch-icon that the server serves', async () => {
    const html = decode(await rawGet(`${t.server.url}/`)).toString('utf8');
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
    expect(html).toContain('<link rel="apple-touch-icon" href="/apple-touch-icon.png" />');
    const svg = await rawGet(`${t.server.url}/favicon.svg`);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe(CACHE.day);
    expect(svg.body.toString('utf8')).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
    const png = await rawGet(`${t.server.url}/apple-touch-icon.png`);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.body.readUInt32BE(16)).toBe(180); // IHDR width
  });
});

describe('what is not a page', () => {
  it('leaves the API and its 404s alone, and refuses paths that leave the pages folder', async () => {
    expect((await t.api('GET', '/products', { as: 'u_xiaoming' })).status).toBe(200);
    for (const path of ['/nope.txt', '/assets/nope.js', '/assets/..%2Findex.html', '/assets/%2e%2e%2fsw.js', '/.well-known.x']) {
      const r = await t.api('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('ROUTE_NOT_FOUND');
    }
    expect(existsSync(join(webRoot, 'sw.js'))).toBe(true);
  });
});

describe('/g/<token>, a claim link opened in a chat or a browser', () => {
  it('answers the app with a title and Open Graph tags, and nothing private: no message, price or recipient', async () => {
    const message = '生日快乐，私密留言 7f3a';
    const { token } = await sendGift(t, 'u_xiaoming', 'sku_scarf_blue', message);
    await claimAndAccept(t, 'u_xiaohong', token);
    const r = await rawGet(`${t.server.url}/g/${token}`, { 'accept-encoding': 'br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const html = decode(r).toString('utf8');

    // The public preview: the product, and no giver name (none was set); the gift is taken, so it says so.
    expect(html).toContain('<title>你收到一份礼物 · 送礼物</title>');
    expect(metaOf(html, 'og:title')).toBe('你收到一份礼物');
    expect(metaOf(html, 'og:description')).toBe('羊绒围巾，这份礼物已不能领取。');
    expect(metaOf(html, 'og:type')).toBe('website');
    expect(metaOf(html, 'robots')).toBe('noindex, nofollow');
    const image = metaOf(html, 'og:image')!;
    expect(image).toBe(`${t.server.url}/og-image.png`);
    const picture = await rawGet(image);
    expect(picture.status).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');
    expect([picture.body.readUInt32BE(16), picture.body.readUInt32BE(20)]).toEqual([
      Number(metaOf(html, 'og:image:width')),
      Number(metaOf(html, 'og:image:height')),
    ]);
    expect(html).toContain('<div id="app"></div>');
    expect(html).toContain(`src="${js}"`);

    // Nothing of the gift: not the message, the product's price, the recipient's address or name, nor the token.
    for (const secret of [message, '7f3a', '299', '¥', '李四', '13800138000', '朝阳路', 'u_xiaohong', 'u_xiaoming', token])
      expect(html, secret).not.toContain(secret);
  });

  it('names the giver for a real link; an unknown one reads generic, and guessing is limited per address', async () => {
    expect((await t.api('PUT', '/me', { as: 'u_xiaoming', body: { displayName: '小明' } })).status).toBe(200);
    const { token } = await sendGift(t, 'u_xiaoming', 'sku_tea_250', '茶');
    const page = async (tk: string) => decode(await rawGet(`${t.server.url}/g/${tk}`)).toString('utf8');
    expect(metaOf(await page(token), 'og:title')).toBe('小明送你一份礼物');
    const generic = await page(`g_nothing.${'x'.repeat(32)}`);
    expect(metaOf(generic, 'og:title')).toBe('你收到一份礼物');
    expect(metaOf(generic, 'og:description')).toBe('朋友送你一份礼物，点开看看吧。');
    // Each miss counts against this address, as GET /claims/:token/preview's do: once over, every page is generic.
    for (let i = 0; i < t.server.config.CLAIM_LOOKUP_MAX_FAILURES; i++) await page(`g_nothing.${'y'.repeat(31)}${i % 10}`);
    expect(await page(token)).toBe(generic);
    expect((await t.api('GET', `/claims/${token}/preview`)).status).toBe(429);
  });

  it('names the giver and product once given the public preview (the seam for GET /claims/:token/preview)', async () => {
    const asked: string[] = [];
    const app = new Hono();
    mountWebPages(app, webRoot, {
      claimPreview: async (token) => {
        asked.push(token);
        if (token === 'broken') throw new Error('store down');
        return { giverName: '小明', product: { title: '羊绒围巾' }, open: true };
      },
    });
    const named = await (await app.request('http://songli.test/g/g_abc.def')).text();
    expect(asked).toEqual(['g_abc.def']);
    expect(metaOf(named, 'og:title')).toBe('小明送你一份礼物');
    expect(metaOf(named, 'og:description')).toBe('羊绒围巾，点开领取。');
    expect(metaOf(named, 'og:image')).toBe('http://songli.test/og-image.png');
    // A preview that fails leaves the generic words: the page itself still opens.
    const fallback = await app.request('http://songli.test/g/broken');
    expect(fallback.status).toBe(200);
    expect(metaOf(await fallback.text(), 'og:title')).toBe('你收到一份礼物');
  });
});
