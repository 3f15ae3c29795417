/**
 * An AWS bundle carries only the payment provider its deploy's PAYMENT_PROVIDER names (build/payment-provider.cjs):
 * the other provider's code is not in it, and a function configured for a provider its bundle lacks refuses to start,
 * naming both. Each bundle is built as a deploy builds it and run in a fresh `node` (its first call, without a token:
 * the configuration and every adapter are built before the 401).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../build/bundle';
import { httpApiEvent } from '../support/aws-events';
import { demoLambdaEnv, demoSecretParameters, runChildForResult } from '../support/bundled-child';
import { type FakeAwsSecrets, startFakeAwsSecrets } from '../support/fake-aws-secrets';

const require = createRequire(import.meta.url);
const { paymentProviderDefine } = require('../../build/payment-provider.cjs') as {
  paymentProviderDefine: (value?: string) => Record<string, string>;
};

const CHILD = String.raw`
const [file, eventJson] = process.argv.slice(1);
require(file).handler(JSON.parse(eventJson), { awsRequestId: 't', functionName: 't', getRemainingTimeInMillis: () => 30000 }).then(
  (res) => process.stdout.write('\n@@result ' + JSON.stringify({ status: res.statusCode })),
  (e) => process.stdout.write('\n@@result ' + JSON.stringify({ error: String(e && e.message) })),
);
`;

const SSM_PATH = '/songli/payment-test/';
const DEV_PROVIDER = 'shared/adapters/simulated/dev-payment-gateway.ts';
const WECHATPAY = 'shared/adapters/wechatpay/wechatpay-gateway.ts';
let ssm: FakeAwsSecrets;
let out: string;
const built: Record<string, Metafile> = {};

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'songli-payment-provider-'));
  ssm = await startFakeAwsSecrets({
    parameters: demoSecretParameters(SSM_PATH),
  });
  for (const provider of ['wechatpay', 'dev', 'unknown']) {
    built[provider] = (await bundleFunction('pay-gift', 'aws', join(out, `${provider}.cjs`), { paymentProvider: provider })).metafile;
  }
}, 60_000);

afterAll(async () => {
  await ssm?.close();
  rmSync(out, { recursive: true, force: true });
});

/** The source files that put code into the bundle (an import esbuild dropped as dead code writes 0 bytes). */
const carried = (metafile: Metafile) =>
  Object.entries(Object.values(metafile.outputs).find((o) => o.entryPoint)!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);

/** The first call of pay-gift without a token, on a demo deploy simulating payments (PAYMENT_PROVIDER=dev). */
async function firstCallOnDevDeploy(bundle: string): Promise<{ status?: number; error?: string }> {
  const event = httpApiEvent({ method: 'POST', routeKey: '/gifts/{id}/pay', path: '/gifts/g1/pay', pathParameters: { id: 'g1' } });
  const env = demoLambdaEnv({
    ssmPath: SSM_PATH,
    ssmUrl: ssm.url,
    table: 'songli-payment-test',
    extra: { LOG_LEVEL: 'silent', PAYMENT_PROVIDER: 'dev' },
  });
  return (await runChildForResult<{ status?: number; error?: string }>(CHILD, [join(out, `${bundle}.cjs`), JSON.stringify(event)], env))
    .result;
}

describe('the payment provider of an AWS bundle', () => {
  it('follows the deploy: serverless.yml’s default (wechatpay) when unset, either named one, both for anything else', () => {
    expect(paymentProviderDefine(undefined)).toEqual({ SONGLI_BUNDLED_PAYMENT_PROVIDER: '"wechatpay"' });
    expect(paymentProviderDefine('dev')).toEqual({ SONGLI_BUNDLED_PAYMENT_PROVIDER: '"dev"' });
    expect(paymentProviderDefine('')).toEqual({ SONGLI_BUNDLED_PAYMENT_PROVIDER: 'undefined' });
    expect(paymentProviderDefine('paypal')).toEqual({ SONGLI_BUNDLED_PAYMENT_PROVIDER: 'undefined' });
  });

  it('carries only the named provider’s code', () => {
    expect(carried(built.wechatpay!)).toContain(WECHATPAY);
    expect(carried(built.wechatpay!)).not.toContain(DEV_PROVIDER);
    expect(carried(built.dev!)).toContain(DEV_PROVIDER);
    expect(carried(built.dev!).filter((f) => f.includes('adapters/wechatpay/'))).toEqual([]);
    expect(carried(built.unknown!)).toEqual(expect.arrayContaining([WECHATPAY, DEV_PROVIDER]));
  });

  it('runs the provider it was built for, and refuses to start with the other, naming both', async () => {
    expect(await firstCallOnDevDeploy('dev')).toEqual({ status: 401 });
    expect(await firstCallOnDevDeploy('unknown')).toEqual({ status: 401 });
    const refused = await firstCallOnDevDeploy('wechatpay');
    expect(refused.error).toContain('invalid configuration:');
    expect(refused.error).toContain('PAYMENT_PROVIDER: dev is not in this bundle, built for PAYMENT_PROVIDER=wechatpay');
  });
});
