// The one esbuild configuration of every deploy bundle. serverless.yml reads it (custom.esbuild) for AWS;
// build/bundle.ts uses it for CloudBase, the bundle-size report and the tests that run the bundles.
// BENCHMARKS.md ("Cold start") has the figures behind each choice below.
const { paymentProviderDefine } = require('./payment-provider.cjs');

module.exports = {
  bundle: true,
  minify: true,
  // Written beside each bundle (not counted in its size) but not loaded: serverless.yml no longer sets
  // NODE_OPTIONS=--enable-source-maps, which parsed the map on every cold start (~30 ms). Set it to debug a trace.
  sourcemap: true,
  target: 'node24', // nodejs24.x on Lambda, Nodejs24.11 on CloudBase (README: why those)
  platform: 'node',
  format: 'cjs',
  // Nothing external on AWS: no AWS SDK is used (shared/adapters/aws/ signs its own calls), so nothing is taken from
  // the Lambda runtime's node_modules.
  exclude: [],
  // ES module builds first (hono, zod, @aws-sdk/util-dynamodb and others ship both): esbuild can only tree-shake those.
  mainFields: ['module', 'main'],
  // Chinese text (catalog, region names) as UTF-8 rather than \uXXXX escapes: half the bytes.
  charset: 'utf8',
  legalComments: 'none',
  // AWS: only the payment provider the deploy's PAYMENT_PROVIDER names (build/payment-provider.cjs).
  define: paymentProviderDefine(process.env.PAYMENT_PROVIDER),
  plugins: 'build/esbuild-plugins.cjs',
  packager: 'npm',
};
