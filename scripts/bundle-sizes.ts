/**
 * Prints each function's bundle size per platform and what dominates it: `npm run bundle:sizes`.
 * `--without phone,regions` builds them with libphonenumber-js and/or the compressed region table replaced by empty
 * stand-ins (bundles that cannot run, only weighed): what the rest of an address function weighs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'esbuild';
import { bundleFunction, deployableFunctions, type Platform } from '../build/bundle';

const STAND_INS: Record<string, { filter: RegExp; contents: string; loader: 'js' | 'json' }> = {
  phone: { filter: /^libphonenumber-js/, contents: 'export const parsePhoneNumberFromString = () => undefined;', loader: 'js' },
  regions: { filter: /mainland-regions\.brotli\.json$/, contents: '{"brotli":""}', loader: 'json' },
};
const without = (parseArgs({ options: { without: { type: 'string', default: '' } } }).values.without ?? '').split(',').filter(Boolean);
for (const part of without) if (!STAND_INS[part]) throw new Error(`--without takes ${Object.keys(STAND_INS).join(', ')}; not ${part}`);
const standIns: Plugin[] = without.map((part) => ({
  name: `without-${part}`,
  setup(build) {
    const { filter, contents, loader } = STAND_INS[part]!;
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: `without-${part}` }));
    build.onLoad({ filter: /.*/, namespace: `without-${part}` }, () => ({ contents, loader }));
  },
}));

const packageOf = (file: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return m ? m[1]! : '(songli)';
};

const GOAL_KB = 150;

const out = mkdtempSync(join(tmpdir(), 'songli-bundles-'));
try {
  const rows: string[][] = [];
  for (const platform of ['aws', 'cloudbase'] as Platform[]) {
    for (const name of deployableFunctions(platform)) {
      const file = join(out, platform, `${name}.js`);
      const { bytes, metafile } = await bundleFunction(name, platform, file, { extraPlugins: standIns });
      const byPackage = new Map<string, number>();
      for (const [input, info] of Object.entries(Object.values(metafile.outputs).find((o) => o.entryPoint)!.inputs)) {
        byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + info.bytesInOutput);
      }
      const top = [...byPackage]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([p, b]) => `${p} ${(b / 1024).toFixed(0)}K`);
      rows.push([platform, name, (bytes / 1024).toFixed(1), (gzipSync(readFileSync(file)).length / 1024).toFixed(1), top.join(', ')]);
    }
  }
  const head = ['platform', 'function', 'KB', 'gzip KB', 'largest parts'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const within = rows.filter((r) => Number(r[2]) <= GOAL_KB).length;
  console.log(`\n${within} of ${rows.length} bundles ≤ ${GOAL_KB} KB (issue 14's goal; KB = 1,024 bytes)`);
  if (without.length > 0) console.log(`Built without ${without.join(' and ')} (empty stand-ins): weighed, not runnable`);
  // AWS bundles carry only the deploy's payment provider (build/payment-provider.cjs): this shell's, as a deploy from it would.
  console.log(`AWS built for PAYMENT_PROVIDER=${process.env.PAYMENT_PROVIDER ?? 'wechatpay'} (serverless.yml's default when unset)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
