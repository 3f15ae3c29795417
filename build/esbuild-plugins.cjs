// esbuild plugins shared by `serverless package` (serverless-esbuild loads this file), the CloudBase build
// and the bundle-size script, so every bundle is built the same way.
const path = require('node:path');

/**
 * zod's `z` namespace re-exports every locale (~60 of them, ~300 KB minified) and a namespace object
 * cannot be tree-shaken. Our error messages are English (the API speaks codes; the pages translate), so
 * the locale index resolves to English only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}zod${path.sep}`)) return undefined;
      return { path: 'zod-locales-en', namespace: 'zod-english-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(require.resolve('zod/v4/locales/en.js'))};`,
      loader: 'js',
      resolveDir: __dirname,
    }));
  },
};

module.exports = [zodEnglishOnly];
