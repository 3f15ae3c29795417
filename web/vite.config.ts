import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The H5 pages: static files any host can serve; the local server serves them from dist/web. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: resolve(import.meta.dirname, '..', 'dist', 'web'), emptyOutDir: true, target: 'es2020', sourcemap: true },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  logLevel: 'warn',
});
