/**
 * The SigV4 signer (shared/adapters/aws/sigv4.ts) against the AWS SDK's own (@smithy/signature-v4, a dev dependency)
 * on the requests the functions send, and against AWS's published example: the same request must get the same
 * signature, byte for byte, for any credentials, region, service, date, header spelling and body.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { type AwsCredentials, type SignableRequest, signRequest } from '../../shared/adapters/aws/sigv4';
import { SdkSha256 } from '../support/sdk-sha256';

/** The SDK signer's hash interface over node:crypto (the SDK's own would be the same node:crypto calls). */
async function sdkSignature(req: SignableRequest, credentials: AwsCredentials, region: string, service: string, at: Date) {
  const signer = new SignatureV4({ credentials, region, service, sha256: SdkSha256, applyChecksum: false });
  const { host, ...rest } = req.headers;
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'https:',
      hostname: host!,
      path: req.path,
      headers: { host: host!, ...rest },
      body: req.body,
      query: {},
    },
    { signingDate: at },
  );
  return signed.headers as Record<string, string>;
}

const KEYS: AwsCredentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SESSION: AwsCredentials = {
  accessKeyId: 'ASIAQEXAMPLESESSION1',
  secretAccessKey: 'f9Xk2ORnb8c0rRk4e0ZmQ0wJ1d5rT4Kx0bq9EXAMPLE',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaDmFwLW5vcnRoZWFzdC0xIkcwRQIhAK+example+token==',
};
const json = (host: string, target: string, body: unknown, version = '1.0'): SignableRequest => {
  const text = JSON.stringify(body);
  return {
    method: 'POST',
    path: '/',
    headers: {
      host,
      'content-type': `application/x-amz-json-${version}`,
      'content-length': String(Buffer.byteLength(text)),
      'x-amz-target': target,
    },
    body: text,
  };
};

const CASES: Array<{ name: string; req: SignableRequest; credentials: AwsCredentials; region: string; service: string; at: Date }> = [
  {
    name: 'a DynamoDB GetItem with long-term keys',
    req: json('dynamodb.ap-northeast-1.amazonaws.com', 'DynamoDB_20120810.GetItem', {
      TableName: 'songli-gifts',
      Key: { id: { S: 'g_1' } },
    }),
    credentials: KEYS,
    region: 'ap-northeast-1',
    service: 'dynamodb',
    at: new Date('2026-11-29T18:30:00.123Z'),
  },
  {
    name: 'an SSM GetParameters with a session token (as on Lambda), in a China region, the last second of a year',
    req: json('ssm.cn-north-1.amazonaws.com.cn', 'AmazonSSM.GetParameters', { Names: ['/songli/prod/A'], WithDecryption: true }, '1.1'),
    credentials: SESSION,
    region: 'cn-north-1',
    service: 'ssm',
    at: new Date('2026-12-31T23:59:59.999Z'),
  },
  {
    name: 'a PutItem whose body is Chinese text, emoji and combining marks (UTF-8 bytes hashed, not UTF-16)',
    req: json('127.0.0.1:8000', 'DynamoDB_20120810.PutItem', {
      TableName: 'gifts',
      Item: { id: { S: 'g_礼' }, message: { S: '天冷了，围上 🧣 — naïve e\u0301' } },
    }),
    credentials: SESSION,
    region: 'ap-northeast-1',
    service: 'dynamodb',
    at: new Date('2027-02-28T00:00:00Z'),
  },
  {
    name: 'a Secrets Manager read with header names in mixed case, padded values, and unsignable headers',
    req: {
      method: 'post',
      path: '/',
      headers: {
        Host: 'secretsmanager.us-east-1.amazonaws.com',
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': '  secretsmanager.GetSecretValue  ',
        'X-Custom': 'a   b \t c',
        'User-Agent': 'songli',
        'X-Amzn-Trace-Id': 'Root=1-abc',
        Connection: 'keep-alive',
      },
      body: '{"SecretId":"songli/prod"}',
    },
    credentials: KEYS,
    region: 'us-east-1',
    service: 'secretsmanager',
    at: new Date('2028-02-29T12:00:00Z'),
  },
  {
    name: 'an empty body and a path with encoded characters (encoded again in the canonical request)',
    req: { method: 'GET', path: '/a%20b/%C3%BC/c', headers: { host: 'example.amazonaws.com' }, body: '' },
    credentials: KEYS,
    region: 'eu-west-1',
    service: 'execute-api',
    at: new Date('2026-06-01T08:09:10Z'),
  },
];

describe('SigV4', () => {
  it.each(CASES)('signs $name exactly as the AWS SDK does', async ({ req, credentials, region, service, at }) => {
    const ours = signRequest(req, { credentials, region, service, at });
    // As sent: node:http upper-cases the method, and header names are case-insensitive (the SDK's client lower-cases them).
    const sdk = await sdkSignature(
      {
        ...req,
        method: req.method.toUpperCase(),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
      },
      credentials,
      region,
      service,
      at,
    );
    expect(ours.authorization).toBe(sdk.authorization);
    expect(ours['x-amz-date']).toBe(sdk['x-amz-date']);
    expect(ours['x-amz-security-token']).toBe(sdk['x-amz-security-token']);
    expect(ours.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/[\w-]+\/[\w-]+\/aws4_request, SignedHeaders=[\w;-]+, Signature=[0-9a-f]{64}$/,
    );
  });

  it('matches the published example (AWS SigV4 test suite, get-vanilla)', () => {
    const headers = signRequest(
      { method: 'GET', path: '/', headers: { host: 'example.amazonaws.com' }, body: '' },
      {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
        region: 'us-east-1',
        service: 'service',
        at: new Date('2015-08-30T12:36:00Z'),
      },
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('keeps signing right across days, regions and rotated credentials (the cached signing keys)', async () => {
    const req = CASES[0]!.req;
    const runs = [
      { credentials: KEYS, region: 'ap-northeast-1', at: new Date('2026-11-29T23:59:59Z') },
      { credentials: KEYS, region: 'ap-northeast-1', at: new Date('2026-11-30T00:00:00Z') },
      { credentials: KEYS, region: 'eu-west-1', at: new Date('2026-11-30T00:00:01Z') },
      { credentials: SESSION, region: 'eu-west-1', at: new Date('2026-11-30T00:00:02Z') },
      { credentials: KEYS, region: 'ap-northeast-1', at: new Date('2026-11-29T23:59:58Z') },
    ];
    const signatures = new Set<string>();
    for (const { credentials, region, at } of runs) {
      const ours = signRequest(req, { credentials, region, service: 'dynamodb', at });
      const sdk = await sdkSignature(req, credentials, region, 'dynamodb', at);
      expect(ours.authorization).toBe(sdk.authorization);
      signatures.add(ours.authorization!);
    }
    expect(signatures.size).toBe(runs.length);
  });
});
