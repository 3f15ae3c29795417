// The one esbuild configuration of every deploy bundle. serverless.yml reads it (custom.esbuild) for AWS;
// build/bundle.ts uses it for CloudBase, the bundle-size report and the tests that run the bundles.
module.exports = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  // The Lambda Node.js 20 runtime ships AWS SDK v3; CloudBase installs @cloudbase/node-sdk (see build/bundle.ts).
  exclude: ['@aws-sdk/*', '@smithy/*'],
  plugins: 'build/esbuild-plugins.cjs',
  packager: 'npm',
};
