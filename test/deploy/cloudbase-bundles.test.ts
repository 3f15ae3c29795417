/** The CloudBase build: one CommonJS index.js per function exporting `main`, the SDK left to CloudBase and loaded lazily. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployableFunctions } from '../../build/bundle';
import { buildCloudbase } from '../../scripts/build-cloudbase';
import { tempDataDir } from '../support/http-harness';

const out = tempDataDir();
let names: string[] = [];
beforeAll(async () => {
  names = await buildCloudbase(out.dir);
}, 120_000);
afterAll(() => out.remove());

it('builds every function with a package.json that lets CloudBase install the SDK', () => {
  expect([...names].sort()).toEqual(deployableFunctions('cloudbase').sort());
  expect(names).toContain('wechatpay-notify');
  for (const name of names) {
    const pkg = JSON.parse(readFileSync(join(out.dir, name, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ main: 'index.js', dependencies: { '@cloudbase/node-sdk': expect.any(String) } });
  }
});

it('loads each bundle without loading the SDK, exposing exports.main', () => {
  const require = createRequire(join(out.dir, 'index.js'));
  for (const name of names) {
    const mod = require(join(out.dir, name, 'index.js'));
    expect(typeof mod.main, name).toBe('function');
  }
  expect(Object.keys(require.cache).filter((k) => k.includes('@cloudbase'))).toEqual([]);
});
