import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const TEMPLATE = resolve(import.meta.dirname, 'service-worker.js');
/** Root files the shell shows while offline (web/public is copied as is, outside the bundle). */
const PUBLIC_FILES = ['favicon.svg'];

/**
 * Emits sw.js at the root of the build: the service worker template with this build's file list (the hashed bundles,
 * no source maps) and a version that changes with them, so a new build replaces the old cache.
 */
export function offlineShell(): Plugin {
  return {
    name: 'songli-offline-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = [...Object.keys(bundle).filter((f) => f.startsWith('assets/') && !f.endsWith('.map')), ...PUBLIC_FILES].sort();
      const template = readFileSync(TEMPLATE, 'utf8');
      const version = createHash('sha256').update(template).update(files.join('\n')).digest('hex').slice(0, 12);
      if (!template.includes('__SONGLI_BUILD__')) throw new Error(`${TEMPLATE} lost its __SONGLI_BUILD__ placeholder`);
      const source = template.replace('__SONGLI_BUILD__', JSON.stringify({ version, files }));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
