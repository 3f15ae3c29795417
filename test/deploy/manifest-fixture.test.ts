/**
 * A route added in one place (one line of a manifest, test/fixtures/fixture-manifest.ts) reaches every target:
 * the local server over real HTTP, a Lambda bundle built from its generated entry and fed an API Gateway event,
 * serverless.yml's generated functions, a CloudBase bundle built from its generated entry (callFunction), the
 * generated http-api of that manifest (HTTP access), and cloudbaserc.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry, ROOT } from '../../build/bundle';
import { type LocalServer, startLocalServer } from '../../local/start-local-server';
import { generateDeployFiles } from '../../scripts/generate-deploy-files';
import { FUNCTIONS } from '../fixtures/fixture-manifest';
import { PingResult } from '../fixtures/ping-function';
import { httpApiEvent, lambdaContext } from '../support/aws-events';
import { integrationRequest, scfContext, TCB_ENV_ID } from '../support/cloudbase-context';
import { startFakeAwsSecrets } from '../support/fake-aws-secrets';

const OUT = join(ROOT, 'test-artifacts', 'fixture-manifest');
const FUNCTIONS_DIR = join(OUT, 'functions');
const files = generateDeployFiles(FUNCTIONS, { functionsDir: FUNCTIONS_DIR, manifestModule: 'test/fixtures/fixture-manifest.ts' });
const generated = (path: string) => {
  const content = files.get(join(ROOT, path));
  if (content === undefined) throw new Error(`not generated: ${path}`);
  return content;
};
const savedEnv = { ...process.env };
const WEBHOOK_SECRET = 'fixture_secret_0123456789';
const CLAIM_LINK_SECRET = 'fixture_claim_link_secret_0123456789';
type Main = (event: unknown, context: unknown) => Promise<any>;

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  for (const [file, content] of files) {
    if (!file.startsWith(FUNCTIONS_DIR)) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  // What a deploy sets; the ping route touches no store or merchant, so nothing behind these is ever called.
  Object.assign(process.env, {
    GIFTS_TABLE: 'songli-gifts-fixture',
    PARTS_TABLE: 'songli-parts-fixture',
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    AWS_REGION: 'ap-northeast-1',
    FULFILLMENT_WEBHOOK_URL: 'http://127.0.0.1:9/fulfillment',
    DEMO_MERCHANT: 'true',
    AUTH_JWT_ISSUER: 'https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com',
    TCB_ENV: TCB_ENV_ID,
    LOG_LEVEL: 'silent',
  });
});
afterAll(() => {
  process.env = savedEnv;
});

async function load(entry: string, platform: 'aws' | 'cloudbase'): Promise<Record<string, Main>> {
  const file = join(OUT, 'bundles', platform, `${relative(FUNCTIONS_DIR, entry).replace(/[/\\]/g, '-')}.cjs`);
  await bundleEntry(entry, platform, file);
  return createRequire(import.meta.url)(file);
}

describe('a route added in one line of the manifest', () => {
  it('is served by the local server', async () => {
    let server: LocalServer | null = null;
    try {
      server = await startLocalServer({
        functions: FUNCTIONS,
        timers: false,
        webRoot: null,
        env: { PORT: '0', LOCAL_STORE: 'memory', LOG_LEVEL: 'silent' },
      });
      const token = await server.dev.issueToken('u_local');
      const res = await fetch(`${server.url}/ping/hello`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(PingResult.parse(await res.json())).toMatchObject({ caller: 'u_local:hello' });
    } finally {
      await server?.close();
    }
  });

  it('gets a Lambda entry whose bundle answers an API Gateway event, and a function in serverless.yml', async () => {
    expect(generated('test-artifacts/fixture-manifest/functions/ping-fixture/aws.ts')).toContain(
      "import fn from '../../../../test/fixtures/ping-function'",
    );
    const fns = JSON.parse(generated('build/generated/serverless-functions.json'));
    expect(fns['ping-fixture']).toEqual({
      handler: 'test-artifacts/fixture-manifest/functions/ping-fixture/aws.handler',
      events: [{ httpApi: { method: 'GET', path: '/ping/{word}', authorizer: { name: 'wechatJwt' } } }],
    });
    // On AWS the webhook's secret comes from SSM Parameter Store (a stand-in here), never from the environment.
    const ssm = await startFakeAwsSecrets({
      parameters: {
        '/songli/fixture/FULFILLMENT_WEBHOOK_SECRET': WEBHOOK_SECRET,
        '/songli/fixture/CLAIM_LINK_SECRET': CLAIM_LINK_SECRET,
      },
    });
    Object.assign(process.env, {
      SECRETS_SSM_PATH: '/songli/fixture/',
      AWS_ENDPOINT_URL_SSM: ssm.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const { handler } = await load(join(FUNCTIONS_DIR, 'ping-fixture', 'aws.ts'), 'aws');
    const event = httpApiEvent({
      method: 'GET',
      routeKey: '/ping/{word}',
      path: '/ping/hi',
      pathParameters: { word: 'hi' },
      sub: 'o_lambda',
    });
    const res = await handler!(event, lambdaContext('ping-fixture')).finally(() => ssm.close());
    expect(res.statusCode).toBe(200);
    expect(PingResult.parse(JSON.parse(res.body))).toMatchObject({ caller: 'o_lambda:hi' });
  }, 60_000);

  it('gets a CloudBase entry (callFunction), a route in http-api (HTTP access) and a function in cloudbaserc.json', async () => {
    // CloudBase has environment variables only.
    Object.assign(process.env, { FULFILLMENT_WEBHOOK_SECRET: WEBHOOK_SECRET, CLAIM_LINK_SECRET });
    const rc = JSON.parse(generated('cloudbaserc.json'));
    expect(rc.functions.map((f: { name: string }) => f.name)).toContain('ping-fixture');
    const { main } = await load(join(FUNCTIONS_DIR, 'ping-fixture', 'cloudbase.ts'), 'cloudbase');
    const called = await main!({ params: { word: 'yo' } }, scfContext('ping-fixture', 'o_cloudbase'));
    expect(called.statusCode).toBe(200);
    expect(PingResult.parse(called.body)).toMatchObject({ caller: 'o_cloudbase:yo' });

    const gateway = await load(join(FUNCTIONS_DIR, 'http-api', 'cloudbase.ts'), 'cloudbase');
    const viaHttp = await gateway.main!(integrationRequest('GET', '/ping/web'), scfContext('http-api', 'o_http'));
    expect(viaHttp.statusCode).toBe(200);
    expect(PingResult.parse(JSON.parse(viaHttp.body))).toMatchObject({ caller: 'o_http:web' });
  }, 60_000);
});
