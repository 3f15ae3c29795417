import { existsSync } from 'node:fs';
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
  return true;
}
