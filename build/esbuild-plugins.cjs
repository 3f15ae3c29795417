// esbuild plugins shared by `serverless package` (serverless-esbuild loads this file), the CloudBase build
// and the bundle-size script, so every bundle is built the same way.
const path = require('node:path');

/**
 * What every stub below is made of: `require(FAIL)(what)` is a function that throws "<what> is not bundled", one module
 * shared by the stubs of a bundle rather than a message and a throw in each.
 */
const FAIL = 'songli-bundle-stub-fail';
const sharedFail = {
  name: 'shared-stub-fail',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${FAIL}$`) }, () => ({ path: FAIL, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "module.exports = (what) => () => { throw new Error(what + ' is not bundled (build/esbuild-plugins.cjs)'); };",
      loader: 'js',
    }));
  },
};

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

/**
 * pino loads its transports (lib/transport.js with thread-stream, its worker-thread writer: ~14 KB) and multistream at
 * module scope although only `pino.transport()`, the `transport` option and `pino.multistream()` use them. Our loggers
 * write JSON lines to stdout and use neither, so inside pino the modules resolve to stubs that fail loudly if asked for.
 */
const pinoWithoutTransports = {
  name: 'pino-without-transports',
  setup(build) {
    build.onResolve({ filter: /^(thread-stream|\.\/transport|\.\/multistream|\.\/lib\/transport|\.\/lib\/multistream)$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}pino${path.sep}`)) return undefined;
      return { path: args.path.replace(/^.*\//, ''), namespace: 'pino-without-transports' };
    });
    build.onLoad({ filter: /.*/, namespace: 'pino-without-transports' }, (args) => ({
      contents: `module.exports = require('${FAIL}')('pino ${args.path}');`,
      loader: 'js',
    }));
  },
};

/**
 * pino loads sonic-boom (its file-descriptor writer, ~9 KB with atomic-sleep) and on-exit-leak-free at module scope
 * although only its default destination uses them. createLogger (shared/adapters/system/pino-logger.ts) always hands
 * pino a stream (process.stdout, synchronous for files, pipes and terminals on Linux), so inside pino they resolve to
 * stubs that fail loudly if pino.destination() or a default destination is ever asked for. So does Node's
 * worker_threads, which pino loads at module scope (internal/worker and its messaging: ~1 ms of every cold start) for
 * `isMainThread` alone, read only after a SonicBoom was built, which the stub above never lets happen.
 */
const pinoWithoutSonicBoom = {
  name: 'pino-without-sonic-boom',
  setup(build) {
    build.onResolve({ filter: /^(sonic-boom|on-exit-leak-free|worker_threads)$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}pino${path.sep}`)) return undefined;
      return { path: args.path, namespace: 'pino-without-sonic-boom' };
    });
    build.onLoad({ filter: /^worker_threads$/, namespace: 'pino-without-sonic-boom' }, () => ({
      contents: 'module.exports = { isMainThread: true };',
      loader: 'js',
    }));
    const fail = `const fail = require('${FAIL}')('a pino destination (pass a stream)');`;
    build.onLoad({ filter: /^sonic-boom$/, namespace: 'pino-without-sonic-boom' }, () => ({
      contents: `${fail} module.exports = class SonicBoom { constructor() { fail(); } };`,
      loader: 'js',
    }));
    build.onLoad({ filter: /^on-exit-leak-free$/, namespace: 'pino-without-sonic-boom' }, () => ({
      contents: `${fail} module.exports = { register: fail, unregister: fail, registerBeforeExit: fail };`,
      loader: 'js',
    }));
  },
};

/**
 * pino loads its redaction (lib/redaction.js with @pinojs/redact, ~6 KB) at module scope although only its `redact`
 * option uses it. createLogger censors personal data itself (redactSecrets in shared/adapters/system/pino-logger.ts,
 * faster than pino's wildcard paths) and never sets `redact`, so inside pino it resolves to a stub that fails loudly if
 * the option is ever set.
 */
const pinoWithoutRedact = {
  name: 'pino-without-redact',
  setup(build) {
    build.onResolve({ filter: /^(\.\/redaction|\.\/lib\/redaction|@pinojs\/redact)$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}pino${path.sep}`)) return undefined;
      return { path: args.path.replace(/^.*\//, ''), namespace: 'pino-without-redact' };
    });
    build.onLoad({ filter: /.*/, namespace: 'pino-without-redact' }, () => ({
      contents: `module.exports = require('${FAIL}')('pino redact');`,
      loader: 'js',
    }));
  },
};

/**
 * Smaller pieces of pino our loggers never reach, each replaced inside pino's own modules only:
 * - its callers' file names (lib/caller.js, a stack walk on every pino() call): only transports read them;
 * - of pino-std-serializers only its `err` serializer (lib/err.js, unchanged), which writes our errors: the package's
 *   index also brings the request and response serializers (~1.6 KB, for Node http objects, which a deploy never logs:
 *   no node:http server there), errWithCause (pino only exports it) and the wrap helpers; they fail loudly if called;
 * - safe-stable-stringify (~7.6 KB): pino's fallback after JSON.stringify threw (a circular reference, a BigInt), one
 *   call with two options; build/stubs/safe-stable-stringify.cjs writes the same (test/deploy/safe-stringify-stub.test.ts).
 */
const pinoSlim = {
  name: 'pino-slim',
  setup(build) {
    const inside = (args, pkg) => args.importer.includes(`${path.sep}${pkg}${path.sep}`);
    build.onResolve({ filter: /^\.\/lib\/caller$/ }, (args) =>
      inside(args, 'pino') ? { path: 'caller', namespace: 'pino-slim' } : undefined,
    );
    build.onResolve({ filter: /^pino-std-serializers$/ }, (args) => {
      if (!inside(args, 'pino')) return undefined;
      const err = require.resolve('pino-std-serializers/lib/err', { paths: [path.dirname(args.importer)] });
      return { path: 'std-serializers', namespace: 'pino-slim', pluginData: { err } };
    });
    build.onResolve({ filter: /^safe-stable-stringify$/ }, (args) =>
      inside(args, 'pino') ? { path: path.join(__dirname, 'stubs', 'safe-stable-stringify.cjs') } : undefined,
    );
    build.onLoad({ filter: /^caller$/, namespace: 'pino-slim' }, () => ({ contents: 'module.exports = () => undefined;', loader: 'js' }));
    build.onLoad({ filter: /^std-serializers$/, namespace: 'pino-slim' }, (args) => ({
      contents: [
        `const fail = require('${FAIL}')('pino-std-serializers: all but err');`,
        `module.exports = { err: require(${JSON.stringify(args.pluginData.err)}),`,
        '  errWithCause: fail, mapHttpRequest: fail, mapHttpResponse: fail, req: fail, res: fail,',
        '  wrapErrorSerializer: fail, wrapRequestSerializer: fail, wrapResponseSerializer: fail };',
      ].join('\n'),
      loader: 'js',
      resolveDir: path.dirname(args.pluginData.err),
    }));
  },
};

/**
 * Hono methods no route of ours calls, whose helpers its classes import at module scope (a class method cannot be
 * tree-shaken): `app.mount()` (deprecated; utils/mount.js), `c.req.parseBody()` (form bodies; utils/body.js: our
 * routes read JSON through shared/http/read-input.ts) and `c.html()` of a JSX/promise value (utils/html.js). Inside
 * those Hono modules only, they resolve to stubs that fail loudly if ever called (~3 KB of every HTTP function).
 */
const honoSlim = {
  name: 'hono-slim',
  setup(build) {
    const STUBS = {
      'hono-base.js ./utils/mount.js': 'export const createMountedRequest = fail("app.mount()");',
      'request.js ./utils/body.js': 'export const parseBody = fail("c.req.parseBody()");',
      'context.js ./utils/html.js':
        'export const HtmlEscapedCallbackPhase = { Stringify: 1 }; export const resolveCallback = fail("c.html() of a non-string");',
    };
    build.onResolve({ filter: /^\.\/utils\/(mount|body|html)\.js$/ }, (args) => {
      const key = `${path.basename(args.importer)} ${args.path}`;
      const inHono = path.dirname(args.importer).endsWith(`${path.sep}hono${path.sep}dist`);
      return inHono && STUBS[key] ? { path: key, namespace: 'hono-slim' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'hono-slim' }, (args) => ({
      contents: `import fail from '${FAIL}';\n${STUBS[args.path]}`,
      loader: 'js',
    }));
  },
};

/**
 * The OpenAPI descriptions of request and response fields (withMeta, shared/schemas/schema-meta.ts) register a copy of
 * each described schema in zod's registry, which only the OpenAPI document reads: in a deploy bundle withMeta hands back
 * the schema itself (the same parse), without the registry (~0.7 KB) or the copies made at load.
 */
const openapiMetaLeftOut = {
  name: 'openapi-meta-left-out',
  setup(build) {
    build.onResolve({ filter: /^\.\/schema-meta$/ }, (args) =>
      path.dirname(args.importer).endsWith(path.join('shared', 'schemas')) ? { path: 'schema-meta', namespace: 'openapi-meta' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'openapi-meta' }, () => ({
      contents: 'export const withMeta = (schema) => schema;',
      loader: 'js',
    }));
  },
};

module.exports = [
  sharedFail,
  zodEnglishOnly,
  pinoWithoutTransports,
  pinoWithoutSonicBoom,
  pinoWithoutRedact,
  pinoSlim,
  honoSlim,
  openapiMetaLeftOut,
];
