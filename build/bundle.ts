/** Builds deploy bundles with the exact options serverless-esbuild uses for AWS (build/esbuild-options.cjs). */

import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type BuildResult, build, type Metafile, type Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const options = require('./esbuild-options.cjs') as {
  target: string;
  platform: 'node';
  format: 'cjs';
  minify: boolean;
  sourcemap: boolean;
  exclude: string[];
  mainFields: string[];
  charset: 'utf8';
  legalComments: 'none';
  define: Record<string, string>;
  plugins: string;
};
const plugins = require('./esbuild-plugins.cjs');
const { paymentProviderDefine, BOTH_PAYMENT_PROVIDERS } = require('./payment-provider.cjs') as {
  paymentProviderDefine: (value?: string) => Record<string, string>;
  BOTH_PAYMENT_PROVIDERS: Record<string, string>;
};

export const ROOT = resolve(import.meta.dirname, '..');
export type Platform = 'aws' | 'cloudbase';

/** CloudBase installs the SDK from the function's package.json and it is loaded lazily, so it stays out of the bundle. */
export const CLOUDBASE_EXTERNALS = ['@cloudbase/node-sdk'];

/** Every deployable function that has an entry for the platform: functions/<name>/<platform>.ts. */
export function deployableFunctions(platform: Platform): string[] {
  return readdirSync(join(ROOT, 'functions'))
    .filter((name) => existsSync(join(ROOT, 'functions', name, `${platform}.ts`)))
    .sort();
}

export interface BundleOptions {
  /**
   * AWS: the deploy's PAYMENT_PROVIDER, which decides the one payment provider the bundle carries
   * (build/payment-provider.cjs); default this process's PAYMENT_PROVIDER, unset = serverless.yml's wechatpay.
   */
  paymentProvider?: string;
  /** Plugins run before the deploy's own: the bundle-size report's `--without` stand-ins, never a deploy. */
  extraPlugins?: Plugin[];
}

export function bundleFunction(
  name: string,
  platform: Platform,
  outfile: string,
  opts: BundleOptions = {},
): Promise<{ bytes: number; metafile: Metafile }> {
  return bundleEntry(join(ROOT, 'functions', name, `${platform}.ts`), platform, outfile, opts);
}

/** Bundles one entry file the way a deploy does (tests bundle generated entries of a fixture manifest with it). */
export async function bundleEntry(
  entry: string,
  platform: Platform,
  outfile: string,
  opts: BundleOptions = {},
): Promise<{ bytes: number; metafile: Metafile }> {
  const awsDefine = opts.paymentProvider ? paymentProviderDefine(opts.paymentProvider) : options.define;
  const define = platform === 'aws' ? awsDefine : BOTH_PAYMENT_PROVIDERS;
  const result: BuildResult<{ metafile: true }> = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: options.minify,
    sourcemap: options.sourcemap,
    mainFields: options.mainFields,
    charset: options.charset,
    legalComments: options.legalComments,
    // Both platforms run Node.js 24 (nodejs24.x on Lambda, Nodejs24.11 on CloudBase): one target.
    target: options.target,
    platform: options.platform,
    format: options.format,
    external: platform === 'aws' ? options.exclude : CLOUDBASE_EXTERNALS,
    define,
    plugins: [...(opts.extraPlugins ?? []), ...plugins],
    metafile: true,
    logLevel: 'warning',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint)!;
  return { bytes: output.bytes, metafile: result.metafile };
}
