/**
 * Secrets on AWS come from SSM Parameter Store (SecureString, decrypted) or one Secrets Manager secret, read once per
 * cold start through the AWS JSON client (shared/adapters/aws/), here against SSM and Secrets Manager stand-ins on
 * 127.0.0.1 (AWS JSON 1.1 over real HTTP). A required secret the store lacks, a malformed one and a secret left in the
 * environment each stop start-up, named.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsConfig } from '../../shared/config/aws-config';
import { readConfigWithStore } from '../../shared/config/read-config';
import { SECRET_SETTINGS } from '../../shared/config/wechat-settings';
import { awsRuntime } from '../../shared/platform/aws/aws-runtime';
import { loadAwsSecrets } from '../../shared/platform/aws/aws-secrets';
import { type FakeAwsSecrets, ssmBatchReads, startFakeAwsSecrets } from '../support/fake-aws-secrets';

const PATH = '/songli/test/';
const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const wechatpayPublicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
/** One value per secret setting, each valid for its schema; the PEMs with real line breaks, as `file://key.pem` stores them. */
const SECRETS = {
  WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WECHATPAY_PRIVATE_KEY: pem(),
  WECHATPAY_APIV3_KEY: 'apiv3_key_of_exactly_32_bytes_00',
  AUTH_JWT_PRIVATE_KEY: pem(),
  CLAIM_LINK_SECRET: 'claim_link_secret_0123456789abcdef',
  FULFILLMENT_WEBHOOK_SECRET: 'whsec_from_ssm_0123456789',
  MERCHANT_API_SECRET: 'merchant_api_from_ssm_0123',
  MERCHANT_CALLBACK_SECRET: 'callback_from_ssm_0123456',
} satisfies Record<(typeof SECRET_SETTINGS)[number], string>;
const inSsm = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PATH}${k}`, v]));

let fake: FakeAwsSecrets;
const savedEnv = { ...process.env };
/** What serverless.yml sets, minus the secrets. */
const deployEnv = () => ({
  GIFTS_TABLE: 'songli-gifts-test',
  PARTS_TABLE: 'songli-parts-test',
  FULFILLMENT_WEBHOOK_URL: 'https://wms.example.cn/songli',
  MERCHANT_API_URL: 'https://shop.example.cn/songli/',
  AWS_REGION: 'ap-northeast-1',
  SECRETS_SSM_PATH: PATH,
  AWS_ENDPOINT_URL_SSM: fake.url,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
  AUTH_JWT_ISSUER: 'https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com',
  PAYMENT_PROVIDER: 'wechatpay',
  WECHAT_APPID: 'wx5f0c1b2a3d4e5f60',
  WECHATPAY_MCHID: '1900000109',
  WECHATPAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000001092025010100000001',
  WECHATPAY_PUBLIC_KEY: wechatpayPublicKey,
  WECHATPAY_NOTIFY_URL: 'https://api.example.cn/wechatpay/notify',
  // What the Lambda runtime sets (the role's session); the stand-in checks only that requests are signed.
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SESSION_TOKEN: 'test-session',
});
const configWith = (env: Record<string, string | undefined>) => readConfigWithStore(AwsConfig, loadAwsSecrets, { ...deployEnv(), ...env });

beforeAll(async () => {
  fake = await startFakeAwsSecrets();
});
afterAll(async () => {
  process.env = savedEnv;
  await fake?.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.parameters = new Map(Object.entries(inSsm(SECRETS)));
  fake.secrets.clear();
});

describe('secrets from SSM Parameter Store', () => {
  it('reads every secret in one decrypted GetParameters call and validates the decrypted values', async () => {
    const config = await configWith({});
    expect(fake.requests).toHaveLength(1);
    const [read] = ssmBatchReads(fake);
    expect(read).toMatchObject({ region: 'ap-northeast-1', service: 'ssm', body: { WithDecryption: true } });
    expect([...read!.body.Names].sort()).toEqual(SECRET_SETTINGS.map((s) => `${PATH}${s}`).sort());
    for (const s of SECRET_SETTINGS) expect(config[s], s).toBe(SECRETS[s].trim()); // PEMs are trimmed by the schema
    expect(config.WECHATPAY_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('leaves absent optional secrets unset, and names each required one the store lacks, with its parameter', async () => {
    fake.parameters.delete(`${PATH}FULFILLMENT_WEBHOOK_SECRET`);
    fake.parameters.delete(`${PATH}MERCHANT_API_SECRET`);
    fake.parameters.delete(`${PATH}AUTH_JWT_PRIVATE_KEY`); // optional: the app issues no login tokens of its own here
    const error = await configWith({}).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const lines = (error as Error).message.split('\n').slice(1);
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}FULFILLMENT_WEBHOOK_SECRET: .*required.*\(SSM parameter \/songli\/test\/FULFILLMENT_WEBHOOK_SECRET\)$/),
      expect.stringMatching(/^ {2}MERCHANT_API_URL: .*MERCHANT_API_SECRET.*required/),
    ]);
    fake.parameters.set(`${PATH}FULFILLMENT_WEBHOOK_SECRET`, SECRETS.FULFILLMENT_WEBHOOK_SECRET);
    const config = await configWith({ DEMO_MERCHANT: 'true' });
    expect(config.AUTH_JWT_PRIVATE_KEY).toBeUndefined();
    expect(config.FULFILLMENT_WEBHOOK_SECRET).toBe(SECRETS.FULFILLMENT_WEBHOOK_SECRET);
  });

  it('names a malformed secret and where it is stored, never its value', async () => {
    fake.parameters.set(`${PATH}WECHATPAY_APIV3_KEY`, 'thirty-one-bytes-long-apiv3-key');
    fake.parameters.set(`${PATH}WECHATPAY_PRIVATE_KEY`, 'not a key at all');
    const message = await configWith({}).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toContain('WECHATPAY_APIV3_KEY: must be the 32-byte APIv3 key (SSM parameter /songli/test/WECHATPAY_APIV3_KEY)');
    expect(message).toContain('WECHATPAY_PRIVATE_KEY: must be an RSA private key');
    expect(message).not.toContain('thirty-one-bytes-long-apiv3-key');
    expect(message).not.toContain('not a key at all');
  });

  it('refuses a secret set as an environment variable, even when the store has it too', async () => {
    const message = await configWith({ MERCHANT_API_SECRET: 'plaintext_in_lambda_env_0123', CLAIM_LINK_SECRET: '' }).then(
      () => '',
      (e: Error) => e.message,
    );
    // '' counts as unset (a deploy tool's empty default), so only the one really set is refused.
    expect(message.split('\n').slice(1)).toEqual([
      '  MERCHANT_API_SECRET: is a secret and must not be an environment variable on AWS: store it in SSM Parameter Store as a ' +
        'SecureString (or in the Secrets Manager secret), see README "Deploy to AWS" (SSM parameter /songli/test/MERCHANT_API_SECRET)',
    ]);
  });

  it('needs exactly one store, and a well-formed path', async () => {
    const problem = (env: Record<string, string | undefined>) =>
      configWith(env).then(
        () => '',
        (e: Error) => e.message,
      );
    expect(await problem({ SECRETS_SSM_PATH: undefined })).toContain(
      'SECRETS_SSM_PATH: set exactly one of SECRETS_SSM_PATH and SECRETS_MANAGER_SECRET_ID',
    );
    expect(await problem({ SECRETS_MANAGER_SECRET_ID: 'songli/test' })).toContain('set exactly one of');
    expect(await problem({ SECRETS_SSM_PATH: 'songli/test' })).toContain('SECRETS_SSM_PATH: must be a parameter path');
    expect(fake.requests).toEqual([]); // nothing is fetched from a store that is not clearly named
  });

  it('fails start-up naming the path when SSM refuses (an IAM mistake), without retrying a refusal', async () => {
    fake.failNext(1);
    await expect(configWith({})).rejects.toThrow(/could not read the secrets under SSM path \/songli\/test\/: .*not authorized/);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('a cold start', () => {
  it('reads the secrets once per instance: concurrent and later invocations reuse them, a failed read is retried', async () => {
    Object.assign(process.env, deployEnv(), { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' });
    fake.failNext(1);
    await expect(awsRuntime()).rejects.toThrow(/SSM path \/songli\/test\/: .*not authorized/);
    const runtimes = await Promise.all([awsRuntime(), awsRuntime(), awsRuntime()]);
    expect(new Set(runtimes).size).toBe(1);
    for (let i = 0; i < 5; i++) await awsRuntime();
    expect(ssmBatchReads(fake)).toHaveLength(2); // the refused read, then the one that built the instance
    expect(runtimes[0]!.callbackSecret).toBe(SECRETS.MERCHANT_CALLBACK_SECRET); // decrypted, from SSM
  });
});

describe('secrets from one Secrets Manager secret (JSON keyed by setting name)', () => {
  const SECRET_ID = 'songli/test';
  const smEnv = { SECRETS_SSM_PATH: undefined, SECRETS_MANAGER_SECRET_ID: SECRET_ID };

  it('reads the secret once and uses its keys', async () => {
    fake.secrets.set(SECRET_ID, JSON.stringify(SECRETS));
    const config = await configWith(smEnv);
    expect(fake.requests).toEqual([
      { target: 'secretsmanager.GetSecretValue', body: { SecretId: SECRET_ID }, region: 'ap-northeast-1', service: 'secretsmanager' },
    ]);
    for (const s of SECRET_SETTINGS) expect(config[s], s).toBe(SECRETS[s].trim());
  });

  it('names a missing required key, a key that is no secret setting and a value that is no string', async () => {
    const { MERCHANT_API_SECRET: _, ...rest } = SECRETS;
    fake.secrets.set(SECRET_ID, JSON.stringify({ ...rest, MERCHANT_API_SECRETS: 'typo_0123456789abcdef', CLAIM_LINK_SECRET: 42 }));
    const message = await configWith(smEnv).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toContain(
      'SECRETS_MANAGER_SECRET_ID: secret songli/test has the key MERCHANT_API_SECRETS, which is not a secret setting',
    );
    expect(message).toContain('CLAIM_LINK_SECRET: must be a string (key CLAIM_LINK_SECRET of Secrets Manager secret songli/test)');
    expect(message).toContain('MERCHANT_API_URL: MERCHANT_API_URL and MERCHANT_API_SECRET are required');
  });

  it('names a secret that does not exist, and one that is not a JSON object without quoting it', async () => {
    await expect(configWith(smEnv)).rejects.toThrow('SECRETS_MANAGER_SECRET_ID: no Secrets Manager secret songli/test');
    fake.secrets.set(SECRET_ID, 'merchant_api_secret_value_not_json');
    const message = await configWith(smEnv).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toContain('secret songli/test must be a JSON object keyed by setting name');
    expect(message).not.toContain('merchant_api_secret_value_not_json');
  });
});
