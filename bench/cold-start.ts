/**
 * Cold start per deploy bundle: `npx tsx bench/cold-start.ts`.
 *
 * Builds every function for both platforms exactly as it deploys (build/bundle.ts), then for each bundle
 * starts fresh `node` processes that time, inside the child, the `require()` of the bundle and, where it
 * needs no network, the first invocation's initialisation:
 *  - AWS HTTP functions: one API Gateway v2 event without JWT claims. The handler reads its secrets (one SSM
 *    GetParameters call, to a stand-in on 127.0.0.1, as on AWS to SSM), builds the deps (config validation,
 *    DynamoDB client, logger, catalog) and the Hono app, then answers 401 (403 for the signed merchant callback,
 *    whose secret is unset): the store is never touched, except by the public claim preview, whose miss limiter
 *    reads and counts on a DynamoDB stand-in on 127.0.0.1 before its 404.
 *  - AWS scheduled functions: require only (a run would query the store).
 *  - CloudBase entries: require only, and a check that '@cloudbase/node-sdk' was NOT loaded (it must stay lazy).
 * Configured as a production deploy: WeChat Pay (PAYMENT_PROVIDER=wechatpay, its keys validated at start-up, the
 * merchant key and the app secret from SSM), its bundles built with that provider only (build/payment-provider.cjs).
 * `--payments dev` measures a demo deploy instead, as this bench did before the bundles carried one provider.
 * Goal (issue 14): bundle ≤ 150 KB and require + first call ≤ 40 ms. Figures are printed, never asserted.
 * `npx tsx bench/cold-start.ts accept-gift set-address` measures only the functions named (both platforms) and
 * saves nothing: a quick before/after while slimming. COLD_START_PRELOAD_FETCH=1 loads fetch's classes before the
 * clock starts (what they cost a first call: the difference). COLD_START_CPU_PROF=<dir> writes each child's V8 CPU profile
 * there (open it in Chrome DevTools, or sum its self times).
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundleFunction, deployableFunctions, type Platform, ROOT } from '../build/bundle';
import { FUNCTIONS } from '../functions/manifest';
import type { Route } from '../shared/http/route';
import { startFakeAwsSecrets } from '../test/support/fake-aws-secrets';
import { printTable, round, writeJson } from './lib/report';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
/** `--runs n`: fresh processes per bundle (median reported). */
const RUNS = Number(flag('--runs') ?? 5);
/**
 * `--payments dev`: a demo deploy (PAYMENT_PROVIDER=dev, its bundles built with the dev provider only), the way this
 * bench ran before the AWS bundles carried one provider; default WeChat Pay, as serverless.yml deploys.
 */
const PAYMENTS = flag('--payments') ?? 'wechatpay';
/** Functions named on the command line (none = all; a subset's results, or another --payments or --runs, are printed, not saved). */
const ONLY = args;
const GOAL_KB = 150;
const GOAL_MS = 40;

const WEBHOOK_SECRET = '0123456789abcdef0123';
/** On AWS the webhook's secret comes from SSM (the stand-in below), never from the environment. */
const CLAIM_LINK_SECRET = 'bench-claim-link-secret-0123456789abcdef';
/**
 * WeChat Pay as a production deploy runs it (PAYMENT_PROVIDER=wechatpay, serverless.yml's default, which is also the
 * one provider an AWS bundle is built with: build/payment-provider.cjs): throwaway keys, the secrets in SSM.
 */
const rsaKeys = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const WECHATPAY_SETTINGS = {
  PAYMENT_PROVIDER: 'wechatpay',
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHATPAY_MCHID: '1900000001',
  WECHATPAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012026112900000000000000',
  WECHATPAY_PUBLIC_KEY: rsaKeys().publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  WECHATPAY_NOTIFY_URL: 'https://bench.execute-api.ap-northeast-1.amazonaws.com/wechatpay/notify',
};
const WECHATPAY_SECRETS = {
  WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WECHATPAY_PRIVATE_KEY: rsaKeys().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  WECHATPAY_APIV3_KEY: 'bench-apiv3-key-0123456789abcdef',
};
const ssm = await startFakeAwsSecrets({
  parameters: {
    '/songli/bench/FULFILLMENT_WEBHOOK_SECRET': WEBHOOK_SECRET,
    '/songli/bench/CLAIM_LINK_SECRET': CLAIM_LINK_SECRET,
    ...(PAYMENTS === 'wechatpay' ? Object.fromEntries(Object.entries(WECHATPAY_SECRETS).map(([k, v]) => [`/songli/bench/${k}`, v])) : {}),
  },
});
/**
 * A DynamoDB stand-in that finds nothing: every call answers `{}`. Only the public claim preview reaches the store
 * before refusing (its miss limiter reads and counts, then 404), so its first call includes the client's first request.
 */
const dynamo = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
});
await new Promise<void>((done) => dynamo.listen(0, '127.0.0.1', done));
const dynamoAddress = dynamo.address() as { port: number };
/** Config that passes validation; the store is the stand-in above. */
const CHILD_ENV: Record<string, string> = {
  GIFTS_TABLE: 'songli-bench', // ≥ 3 characters (DeployConfig)
  PARTS_TABLE: 'songli-bench-parts',
  FULFILLMENT_WEBHOOK_URL: 'https://example.invalid/x',
  DEMO_MERCHANT: 'true',
  SECRETS_SSM_PATH: '/songli/bench/',
  AWS_ENDPOINT_URL_SSM: ssm.url,
  AUTH_JWT_ISSUER: 'https://bench.execute-api.ap-northeast-1.amazonaws.com', // serverless.yml sets it (AwsConfig)
  DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoAddress.port}`,
  AWS_REGION: 'ap-northeast-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ...(PAYMENTS === 'wechatpay' ? WECHATPAY_SETTINGS : { PAYMENT_PROVIDER: PAYMENTS }),
};

type Kind = 'aws-http' | 'aws-schedule' | 'cloudbase';
interface Probe {
  requireMs: number;
  /** CPU time (user + system) of require + first call: less sensitive than wall time to other work on the machine. */
  cpuMs: number;
  firstCallMs: number | null;
  status: number | null;
  sdkLoaded: boolean;
  /** Whether Node's fetch implementation (undici, ~20 ms to load on Node 20) was loaded by the end of the first call. */
  undiciLoaded: boolean;
}

/** Runs in the child (CommonJS, `node -e`): argv = [bundle, kind, event JSON]. */
const CHILD = String.raw`
const [file, kind, eventJson] = process.argv.slice(1);
// COLD_START_PRELOAD_FETCH=1: fetch's classes (undici, loaded lazily by Node) are loaded before the clock starts, to
// measure their share of a first call (Hono's Lambda adapter builds a Request and a Response).
if (process.env.COLD_START_PRELOAD_FETCH) new Request('http://preload.invalid/', { headers: new Headers() }), new Response('');
// COLD_START_PRELOAD=node:http,node:crypto: built-in modules loaded before the clock starts (their share: the difference).
for (const m of (process.env.COLD_START_PRELOAD || '').split(',').filter(Boolean)) require(m);
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const mod = require(file);
const t1 = process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
const cpuMs = () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
const sdkLoaded = () =>
  Object.keys(require.cache).some((k) => k.includes('@cloudbase/node-sdk')) || process.moduleLoadList.some((m) => m.includes('@cloudbase'));
(async () => {
  let firstCallMs = null, status = null;
  if (kind === 'aws-http') {
    const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30000 };
    const t2 = process.hrtime.bigint();
    const res = await mod.handler(JSON.parse(eventJson), context);
    firstCallMs = ms(t2, process.hrtime.bigint());
    status = res.statusCode;
  }
  const undiciLoaded = process.moduleLoadList.includes('NativeModule internal/deps/undici/undici');
  const result = { requireMs: ms(t0, t1), firstCallMs, status, sdkLoaded: sdkLoaded(), undiciLoaded, cpuMs: cpuMs() };
  process.stdout.write('\n@@cold-start ' + JSON.stringify(result) + '\n');
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Asynchronous, so this process keeps serving the SSM stand-in while the child starts. */
async function probe(file: string, kind: Kind, event: unknown): Promise<Probe> {
  // CloudBase installs its one external (@cloudbase/node-sdk) from package.json; here node_modules provides it.
  const payEnv = PAYMENTS === 'wechatpay' ? WECHATPAY_SECRETS : {};
  // CloudBase: secrets in the environment only.
  const platformEnv = kind === 'cloudbase' ? { FULFILLMENT_WEBHOOK_SECRET: WEBHOOK_SECRET, CLAIM_LINK_SECRET, ...payEnv } : {};
  // COLD_START_CPU_PROF=<dir>: each child writes a V8 CPU profile there (what a cold start spends its time on).
  const profile = process.env.COLD_START_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', process.env.COLD_START_CPU_PROF]
    : [];
  const r = await promisify(execFile)(process.execPath, [...profile, '-e', CHILD, file, kind, JSON.stringify(event ?? null)], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: join(ROOT, 'node_modules'),
      ...CHILD_ENV,
      ...platformEnv,
      ...(process.env.COLD_START_PRELOAD_FETCH ? { COLD_START_PRELOAD_FETCH: '1' } : {}),
      ...(process.env.COLD_START_PRELOAD ? { COLD_START_PRELOAD: process.env.COLD_START_PRELOAD } : {}),
    },
    encoding: 'utf8',
    timeout: 30_000,
  }).catch((e: { code?: number; stdout?: string; stderr?: string }) => {
    throw new Error(`${file} (${kind}) failed: exit ${e.code}\n${e.stderr}${e.stdout}`);
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@cold-start '));
  if (!line) throw new Error(`${file} (${kind}) printed no result\n${r.stderr}${r.stdout}`);
  return JSON.parse(line.slice('@@cold-start '.length)) as Probe;
}

/** A minimal API Gateway HTTP API (payload 2.0) event for the route, with no JWT claims. */
function unauthenticatedEvent(route: Route) {
  const path = route.op.path.replace(/:(\w+)/g, 'bench');
  const method = route.op.method.toUpperCase();
  const routeKey = `${method} ${route.op.path.replace(/:(\w+)/g, '{$1}')}`;
  const hasBody = method !== 'GET';
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'bench.execute-api.invalid', accept: 'application/json', ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: {}, scopes: [] } },
      domainName: 'bench.execute-api.invalid',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: hasBody ? '{}' : undefined,
    isBase64Encoded: false,
  };
}

/** The function's route from the manifest, or null for a scheduled job. */
function routeOf(name: string): Route | null {
  const f = FUNCTIONS.find((fn) => fn.name === name);
  return f?.kind === 'http' ? (f.route as Route) : null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const out = mkdtempSync(join(tmpdir(), 'songli-cold-start-'));
try {
  // Every bundle is built first, then probed once per round, rounds alternating direction: a minute of other load on
  // the machine then costs several functions one sample each, not one function (the first measured) all of its samples.
  const bundles = [];
  for (const platform of ['aws', 'cloudbase'] as Platform[]) {
    for (const name of deployableFunctions(platform).filter((n) => ONLY.length === 0 || ONLY.includes(n))) {
      const file = join(out, platform, `${name}.cjs`);
      const { bytes } = await bundleFunction(name, platform, file, { paymentProvider: PAYMENTS });
      const route = name === 'http-api' ? null : routeOf(name);
      const kind: Kind = platform === 'cloudbase' ? 'cloudbase' : route ? 'aws-http' : 'aws-schedule';
      const event = kind === 'aws-http' ? unauthenticatedEvent(route!) : null;
      bundles.push({ platform, name, file, bytes, gzipBytes: gzipSync(readFileSync(file)).length, kind, event, runs: [] as Probe[] });
    }
  }
  for (let i = 0; i < RUNS; i++) {
    for (const b of i % 2 ? [...bundles].reverse() : bundles) b.runs.push(await probe(b.file, b.kind, b.event));
  }
  const results = [];
  for (const { platform, name, bytes, gzipBytes, kind, runs } of bundles) {
    const requireMs = median(runs.map((r) => r.requireMs));
    const firstCallMs = kind === 'aws-http' ? median(runs.map((r) => r.firstCallMs!)) : null;
    const status = runs[0]!.status;
    // A refusal (401 without a token, 403/422 on the others) builds the app without reaching the store or WeChat.
    if (kind === 'aws-http' && runs.some((r) => r.status === null || r.status < 400 || r.status >= 500))
      throw new Error(`${name}: first call answered ${runs.map((r) => r.status)}, expected a 4xx refusal`);
    const sdkLoaded = runs.some((r) => r.sdkLoaded);
    const totalMs = requireMs + (firstCallMs ?? 0);
    const cpuMs = median(runs.map((r) => r.cpuMs));
    const kb = bytes / 1024;
    results.push({
      platform,
      function: name,
      kind,
      bundleKB: round(kb),
      gzipKB: round(gzipBytes / 1024),
      requireMs: round(requireMs),
      firstCallMs: firstCallMs === null ? null : round(firstCallMs),
      firstCallStatus: status,
      totalMs: round(totalMs),
      cpuMs: round(cpuMs),
      cloudbaseSdkLoaded: platform === 'cloudbase' ? sdkLoaded : null,
      undiciLoaded: runs.some((r) => r.undiciLoaded),
      goalMet: kb <= GOAL_KB && totalMs <= GOAL_MS && !(platform === 'cloudbase' && sdkLoaded),
      requireRunsMs: runs.map((r) => round(r.requireMs)),
      firstCallRunsMs: kind === 'aws-http' ? runs.map((r) => round(r.firstCallMs!)) : null,
    });
  }
  printTable(
    results.map((r) => ({
      platform: r.platform,
      function: r.function,
      KB: r.bundleKB,
      'gzip KB': r.gzipKB,
      'require ms': r.requireMs,
      'first call ms': r.firstCallMs === null ? 'n/a' : r.firstCallMs,
      'total ms': r.totalMs,
      'cpu ms': r.cpuMs,
      'SDK lazy': r.cloudbaseSdkLoaded === null ? '' : r.cloudbaseSdkLoaded ? 'NO' : 'yes',
      undici: r.undiciLoaded ? 'loaded' : '',
      goal: r.goalMet ? 'met' : 'MISSED',
    })),
  );
  if (ONLY.length === 0 && RUNS === 5 && PAYMENTS === 'wechatpay') saveResults(results);
} finally {
  rmSync(out, { recursive: true, force: true });
  await ssm.close();
  dynamo.close();
}

function saveResults(results: unknown[]) {
  const path = writeJson('cold-start.json', {
    goal: { bundleKB: GOAL_KB, totalMs: GOAL_MS },
    method:
      `median of ${RUNS} fresh node processes per bundle, probed in ${RUNS} rounds over every bundle (alternating order); ` +
      'times measured inside the child; ' +
      'first call = AWS HTTP handler on an event without JWT claims (401/403: secrets read from an SSM stand-in on ' +
      '127.0.0.1, deps + Hono app built, store untouched); configured as a production deploy (PAYMENT_PROVIDER=wechatpay, ' +
      'bundles built with that provider only, WeChat Pay keys validated at start-up); ' +
      'scheduled and CloudBase entries: require only; cpuMs = CPU time (user + system) of the same span; ' +
      "undiciLoaded = Node's fetch implementation loaded by the end (process.moduleLoadList)",
    results,
  });
  console.log(`\nsaved ${path}`);
}
