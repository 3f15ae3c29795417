import { resolve } from 'node:path';
import type { Context, Hono, Next } from 'hono';
import { type ClaimPreview, claimPageMeta, withPageMeta } from './web/claim-page-meta';
import { Payload, respond } from './web/static-response';
import { WebFiles } from './web/web-files';

/** The built H5 pages (npm run build:web → dist/web); the local server serves them at / beside the API. */
export const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '..', 'dist', 'web');

/** Cache policies: content-hashed names never change; the HTML (and the service worker) is checked on every use. */
export const CACHE = {
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'no-cache',
  /** Stable names that may change with a release (favicon, share picture). */
  day: 'public, max-age=86400',
} as const;

export interface WebPagesOptions {
  /**
   * The public preview of a claim link (GET /claims/:token/preview), for the chat preview's title and line. Without it
   * every /g/<token> page says the same generic words.
   */
  claimPreview?: (token: string, c: Context) => Promise<ClaimPreview | null>;
}

const SAFE_NAME = /^[\w-]+(?:\.[\w-]+)+$/;
/** Source maps stay private: never served, even if a build left one behind. */
const isPublicName = (name: string) => SAFE_NAME.test(name) && !name.endsWith('.map');

/**
 * Serves the pages: `/` (and `/g/<token>`, a claim link, with its own title and Open Graph tags) as the app's
 * index.html, the hashed bundles under /assets/ as immutable, and the few root files (icons, share picture, service
 * worker). Everything compressed once (brotli or gzip, as the client accepts) and kept in memory.
 */
// biome-ignore lint/suspicious/noExplicitAny: mounts on an app of any environment type
export function mountWebPages(app: Hono<any>, webRoot: string, opts: WebPagesOptions = {}): boolean {
  const files = new WebFiles(webRoot);
  if (!files.hasShell()) return false;
  const nosniff = { 'x-content-type-options': 'nosniff' };

  const shell = async (c: Context) => respond(c.req.raw, await files.shell(), CACHE.revalidate, nosniff);
  app.get('/', shell);
  app.get('/index.html', shell);

  app.get('/g/:token', async (c) => {
    const token = c.req.param('token');
    const preview = opts.claimPreview ? await opts.claimPreview(token, c).catch(() => null) : null;
    const html = withPageMeta((await files.shell()).bytes.toString('utf8'), claimPageMeta(new URL(c.req.url).origin, preview));
    // The token is the secret of the link: no Referer carries it off, and no search engine keeps the page.
    return respond(c.req.raw, new Payload(Buffer.from(html), 'text/html; charset=utf-8', true, 5), CACHE.revalidate, {
      ...nosniff,
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex, nofollow',
    });
  });

  app.get('/assets/:name', async (c: Context, next: Next) => {
    const name = c.req.param('name')!;
    const file = isPublicName(name) ? await files.file(`assets/${name}`) : null;
    if (!file) return next();
    return respond(c.req.raw, file, CACHE.immutable, nosniff);
  });

  app.get('/:name', async (c: Context, next: Next) => {
    const name = c.req.param('name')!;
    const file = isPublicName(name) && name !== 'index.html' ? await files.file(name) : null;
    if (!file) return next();
    // The service worker must be checked on every load, or an old one would keep serving an old app.
    return respond(c.req.raw, file, name === 'sw.js' ? CACHE.revalidate : CACHE.day, nosniff);
  });
  return true;
}
