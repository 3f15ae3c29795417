/**
 * The layering the code promises, checked on the import statements themselves:
 * - the domain imports no SDK, no platform type, no HTTP, no schema library, no adapter;
 * - use cases and ports reach engines and platforms only through ports;
 * - nothing under functions/ or shared/ imports from local/ (the local server is one edge among three);
 * - nothing reads process.env but the config reader;
 * - what deploys (functions/, shared/) and the pages' types use zod's tree-shakable `zod/mini`, never classic `zod`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return files(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
const resolved = (file: string, spec: string) => (spec.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', spec)) : spec);

function offenders(dir: string, forbidden: (target: string) => boolean): string[] {
  return files(dir).flatMap((f) => importsOf(f).flatMap((spec) => (forbidden(resolved(f, spec)) ? [`${f} → ${spec}`] : [])));
}

describe('the layering of the code', () => {
  it('keeps the domain free of SDKs, platforms, HTTP, zod and adapters', () => {
    const allowed = (t: string) => t.startsWith('shared/domain') || t === 'node:crypto';
    expect(offenders('shared/domain', (t) => !allowed(t))).toEqual([]);
  });

  it('lets use cases and ports reach engines and platforms only through ports', () => {
    const forbidden = (t: string) =>
      /^shared\/(adapters|platform|http|composition|config|store)\//.test(`${t}/`) ||
      /^(@aws-sdk|@cloudbase|hono|dynalite|classic-level)/.test(t);
    expect(offenders('shared/use-cases', forbidden)).toEqual([]);
    expect(offenders('shared/ports', forbidden)).toEqual([]);
  });

  it('never imports the local server from functions/ or shared/', () => {
    const local = (t: string) => t === 'local' || t.startsWith('local/');
    expect([...offenders('functions', local), ...offenders('shared', local)]).toEqual([]);
  });

  it('uses zod/mini, not classic zod, in what deploys and in the pages (classic would add ~58 KB to every bundle)', () => {
    const classic = (t: string) => t === 'zod' || t === 'zod/v4' || t.startsWith('zod/v4/classic');
    expect([...offenders('functions', classic), ...offenders('shared', classic), ...offenders('web/src', classic)]).toEqual([]);
  });

  it('reads process.env only in the config reader', () => {
    const readers = [...files('shared'), ...files('functions'), ...files('local')].filter((f) =>
      /process\.env\b(?!\.\w+\s*\?\?=)/.test(readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')),
    );
    expect(readers).toEqual(['shared/config/read-config.ts']);
  });
});
