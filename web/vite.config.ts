import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { offlineShell } from './offline/vite-plugin.ts';

/** The H5 pages: static files any host can serve; the local server serves them from dist/web. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  // No source maps in the build: what dist/web holds is public, and the maps would publish the sources.
  build: { outDir: resolve(import.meta.dirname, '..', 'dist', 'web'), emptyOutDir: true, target: 'es2020', sourcemap: false },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [offlineShell()],
  logLevel: 'warn',
});
