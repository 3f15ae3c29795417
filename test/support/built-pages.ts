import { request } from 'node:http';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..');

/** Builds the H5 pages with the project's own Vite config (source maps, service worker and all) into outDir. */
export async function buildPages(outDir: string): Promise<string> {
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  return outDir;
}

/** A GET whose body is the bytes as sent (fetch would undo the content coding). */
export function rawGet(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
