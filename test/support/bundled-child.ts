import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HTTP_API_URL } from './aws-events';

/**
 * The environment of a demo AWS deploy for a bundled function run in a fresh `node`: its secrets from the SSM
 * stand-in, a DynamoDB endpoint nothing reaches (the calls these tests make touch no store), `extra` on top.
 */
export function demoLambdaEnv(opts: { ssmPath: string; ssmUrl: string; table: string; extra?: Record<string, string> }) {
  return {
    PATH: process.env.PATH ?? '',
    GIFTS_TABLE: opts.table,
    PARTS_TABLE: `${opts.table}-parts`,
    FULFILLMENT_WEBHOOK_URL: 'https://example.invalid/x',
    DEMO_MERCHANT: 'true',
    SECRETS_SSM_PATH: opts.ssmPath,
    AWS_ENDPOINT_URL_SSM: opts.ssmUrl,
    AUTH_JWT_ISSUER: HTTP_API_URL,
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ...opts.extra,
  };
}

/**
 * Runs `script` (node -e) with `args` in a fresh process and returns the JSON it printed after `@@result ` (the
 * function's logger writes to stdout too), with the whole stdout.
 */
export async function runChildForResult<T>(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ result: T; stdout: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('@@result '));
  if (!line) throw new Error(`no result:\n${stdout}`);
  return { result: JSON.parse(line.slice('@@result '.length)) as T, stdout };
}

/** The secrets every demo deploy reads from SSM under `ssmPath` (for startFakeAwsSecrets), `extra` (by name) on top. */
export function demoSecretParameters(ssmPath: string, extra: Record<string, string> = {}): Record<string, string> {
  const named: Record<string, string> = {
    FULFILLMENT_WEBHOOK_SECRET: 'webhook-secret-0123456789',
    CLAIM_LINK_SECRET: 'claim-link-secret-0123456789abcdef',
    ...extra,
  };
  return Object.fromEntries(Object.entries(named).map(([name, value]) => [`${ssmPath}${name}`, value]));
}
