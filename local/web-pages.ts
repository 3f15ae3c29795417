import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/** The built H5 pages (npm run build:web → dist/web); the local server serves them at / beside the API. */
export const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '..', 'dist', 'web');

// biome-ignore lint/suspicious/noExplicitAny: mounts on an app of any environment type
export function mountWebPages(app: Hono<any>, webRoot: string): boolean {
  if (!existsSync(resolve(webRoot, 'index.html'))) return false;
  // serveStatic resolves `root` against the working directory.
  const root = relative(process.cwd(), webRoot) || '.';
  app.get('/', serveStatic({ root, path: 'index.html' }));
  app.get('/assets/*', serveStatic({ root }));
  // A claim link is a real path (/g/<token>): the same page. Its asset URLs are relative (vite `base: './'`), so
  // `<base href="../">` resolves them from the app's root, as it is for `/`.
  const claimPage = readFileSync(resolve(webRoot, 'index.html'), 'utf8').replace('<head>', '<head>\n    <base href="../" />');
  app.get('/g/:token', (c) => c.html(claimPage));
  return true;
}
