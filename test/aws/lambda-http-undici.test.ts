/**
 * A deployed HTTP function answers its first call without loading undici (Node's fetch implementation, ~20 ms of a
 * cold start on Node 20): the bundle, built as a deploy builds it, runs in a fresh `node` whose module list is read
 * after the call. Node 20 records the load as 'NativeModule internal/deps/undici/undici' in process.moduleLoadList; the
 * control run touches `fetch` after the call and must see it, so the check cannot pass by looking at the wrong name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../build/bundle';
import { httpApiEvent } from '../support/aws-events';
import { demoLambdaEnv, demoSecretParameters, runChildForResult } from '../support/bundled-child';
import { type FakeAwsSecrets, startFakeAwsSecrets } from '../support/fake-aws-secrets';
import { newRsaPrivateKeyPem } from '../support/rsa-key';

const CHILD = String.raw`
const [file, eventJson, touchFetch] = process.argv.slice(1);
const UNDICI = 'NativeModule internal/deps/undici/undici';
const before = process.moduleLoadList.includes(UNDICI);
const { handler } = require(file);
handler(JSON.parse(eventJson), { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30000 }).then((res) => {
  if (touchFetch === 'yes') void globalThis.FormData; // a fetch class the edge leaves to Node: its getter loads undici
  const after = process.moduleLoadList.includes(UNDICI);
  process.stdout.write('\n@@result ' + JSON.stringify({ before, after, status: res.statusCode, body: res.body }));
}, (e) => { console.error(e); process.exit(1); });
`;

const SSM_PATH = '/songli/undici-test/';
let ssm: FakeAwsSecrets;
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'songli-undici-'));
  const signingKey = newRsaPrivateKeyPem();
  ssm = await startFakeAwsSecrets({
    parameters: demoSecretParameters(SSM_PATH, { AUTH_JWT_PRIVATE_KEY: signingKey }),
  });
  for (const name of ['accept-gift', 'jwks']) await bundleFunction(name, 'aws', join(out, `${name}.cjs`));
}, 60_000);

afterAll(async () => {
  await ssm?.close();
  rmSync(out, { recursive: true, force: true });
});

async function firstCall(name: string, event: unknown, touchFetch = false) {
  const { result } = await runChildForResult<{ before: boolean; after: boolean; status: number; body: string }>(
    CHILD,
    [join(out, `${name}.cjs`), JSON.stringify(event), touchFetch ? 'yes' : 'no'],
    demoLambdaEnv({ ssmPath: SSM_PATH, ssmUrl: ssm.url, table: 'songli-undici-test' }),
  );
  return result;
}

describe('the first call of a bundled HTTP function', () => {
  const refused = httpApiEvent({ method: 'POST', routeKey: '/claims/{token}/accept', path: '/claims/x.y/accept', body: {} });
  const jwks = httpApiEvent({ method: 'GET', routeKey: '/.well-known/jwks.json', path: '/.well-known/jwks.json' });

  it('a refusal (401, JSON error) does not load undici', async () => {
    const r = await firstCall('accept-gift', refused);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe('UNAUTHENTICATED');
    expect(r).toMatchObject({ before: false, after: false });
  });

  it('a success (200, the public keys) does not load undici', async () => {
    const r = await firstCall('jwks', jwks);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).keys).toHaveLength(1);
    expect(r).toMatchObject({ before: false, after: false });
  });

  it('control: touching FormData afterwards loads it, and the check sees it', async () => {
    const r = await firstCall('accept-gift', refused, true);
    expect(r).toMatchObject({ status: 401, before: false, after: true });
  });
});
