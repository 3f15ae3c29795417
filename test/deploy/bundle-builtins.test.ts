/**
 * A deploy bundle leaves Node's worker_threads unloaded (pino loads it at module scope for `isMainThread` alone, which
 * only its default destination reads; build/esbuild-plugins.cjs): a fresh `node` requires a bundled function and serves
 * a first call, its module list is read, and pino still writes the call's log line. The control loads worker_threads
 * afterwards and must see it, so the check cannot pass by looking at the wrong name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../build/bundle';
import { httpApiEvent } from '../support/aws-events';
import { demoLambdaEnv, demoSecretParameters, runChildForResult } from '../support/bundled-child';
import { type FakeAwsSecrets, startFakeAwsSecrets } from '../support/fake-aws-secrets';

const CHILD = String.raw`
const [file, eventJson, control] = process.argv.slice(1);
const WORKER = 'NativeModule worker_threads';
const { handler } = require(file);
const afterRequire = process.moduleLoadList.includes(WORKER);
handler(JSON.parse(eventJson), { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30000 }).then((res) => {
  if (control === 'yes') require('node:worker_threads');
  const afterCall = process.moduleLoadList.includes(WORKER);
  process.stdout.write('\n@@result ' + JSON.stringify({ afterRequire, afterCall, status: res.statusCode }) + '\n');
}, (e) => { console.error(e); process.exit(1); });
`;

const SSM_PATH = '/songli/builtins-test/';
let ssm: FakeAwsSecrets;
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'songli-builtins-'));
  ssm = await startFakeAwsSecrets({
    parameters: demoSecretParameters(SSM_PATH),
  });
  await bundleFunction('decline-gift', 'aws', join(out, 'decline-gift.cjs'));
}, 60_000);

afterAll(async () => {
  await ssm?.close();
  rmSync(out, { recursive: true, force: true });
});

async function firstCall(control: boolean) {
  const event = httpApiEvent({ method: 'POST', routeKey: '/claims/{token}/decline', path: '/claims/x.y/decline', body: {} });
  const { result, stdout } = await runChildForResult<{ afterRequire: boolean; afterCall: boolean; status: number }>(
    CHILD,
    [join(out, 'decline-gift.cjs'), JSON.stringify(event), control ? 'yes' : 'no'],
    demoLambdaEnv({
      ssmPath: SSM_PATH,
      ssmUrl: ssm.url,
      table: 'songli-builtins-test',
      extra: { LOG_LEVEL: 'info', PAYMENT_PROVIDER: 'dev' },
    }),
  );
  const logLines = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...result, logLines };
}

describe('the Node built-ins a bundled function loads', () => {
  it('not worker_threads, and pino still writes the call’s JSON log lines', async () => {
    const r = await firstCall(false);
    expect(r).toMatchObject({ status: 401, afterRequire: false, afterCall: false });
    expect(r.logLines.length).toBeGreaterThan(0);
    expect(r.logLines[0]).toMatchObject({ level: expect.any(String), service: 'songli', platform: 'aws' });
  });

  it('control: loading worker_threads after the call shows in the module list', async () => {
    expect(await firstCall(true)).toMatchObject({ status: 401, afterRequire: false, afterCall: true });
  });
});
