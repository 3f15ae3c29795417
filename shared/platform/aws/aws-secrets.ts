/**
 * The secrets of an AWS function (SECRET_SETTINGS), read once per cold start: aws-runtime.ts builds the runtime once per
 * instance and keeps the values for as long as the instance is warm. Two stores, chosen by serverless.yml:
 *  - SSM Parameter Store: each secret is the SecureString `<SECRETS_SSM_PATH><SETTING_NAME>`; all of them come in one
 *    GetParameters call with decryption (10 names a call at most, so more would be several calls at once). Absent ones
 *    are simply unset: the config schema then names every one it requires.
 *  - Secrets Manager: one secret (SECRETS_MANAGER_SECRET_ID) whose SecretString is a JSON object keyed by setting name.
 * The calls go through the small AWS JSON client (shared/adapters/aws/aws-json-client.ts), signed with the function's
 * credentials from the same environment. A secret found in the environment is refused: there it would be plaintext in
 * the function's configuration and in CloudFormation, the very thing this replaces.
 */
import { AwsJsonClient } from '../../adapters/aws/aws-json-client';
import { AwsSecretsLocation } from '../../config/aws-config';
import { type ConfigIssue, presentSettings, type StoredSettings } from '../../config/read-config';
import { SECRET_SETTINGS, type SecretSetting } from '../../config/wechat-settings';
import { awsCredentials } from './aws-credentials';

type Env = Readonly<Record<string, string | undefined>>;

interface Found {
  values: Record<string, string>;
  issues: ConfigIssue[];
  where(setting: SecretSetting): string;
}

export const isSecretSetting = (name: string): name is SecretSetting => (SECRET_SETTINGS as readonly string[]).includes(name);

export const PLAINTEXT_SECRET =
  'is a secret and must not be an environment variable on AWS: store it in SSM Parameter Store as a SecureString ' +
  '(or in the Secrets Manager secret), see README "Deploy to AWS"';

/** Reads the secrets from the store the environment names; every problem comes back as an issue, outages as errors. */
export async function loadAwsSecrets(env: Env): Promise<StoredSettings> {
  const set = presentSettings(env);
  const issues: ConfigIssue[] = SECRET_SETTINGS.filter((s) => s in set).map((s) => ({ path: [s], message: PLAINTEXT_SECRET }));
  const location = AwsSecretsLocation.safeParse(set);
  const nowhere = (more: readonly ConfigIssue[]): StoredSettings => ({
    values: {},
    issues: [...issues, ...more],
    whereIs: () => undefined,
  });
  if (!location.success) return nowhere(location.error.issues);
  const { SECRETS_SSM_PATH: path, SECRETS_MANAGER_SECRET_ID: secretId } = location.data;
  if (Boolean(path) === Boolean(secretId)) {
    return nowhere([{ path: ['SECRETS_SSM_PATH'], message: 'set exactly one of SECRETS_SSM_PATH and SECRETS_MANAGER_SECRET_ID' }]);
  }
  const found = path ? await fromSsm(path, location.data, env) : await fromSecretsManager(secretId!, location.data, env);
  return {
    values: found.values,
    issues: [...issues, ...found.issues],
    whereIs: (name) => (isSecretSetting(name) ? found.where(name) : undefined),
  };
}

/** GetParameters takes at most 10 names. */
const SSM_BATCH = 10;

const clientOf = (service: 'ssm' | 'secretsmanager', region: string, endpoint: string | undefined, env: Env) =>
  new AwsJsonClient({
    service,
    targetPrefix: service === 'ssm' ? 'AmazonSSM' : 'secretsmanager',
    jsonVersion: '1.1',
    region,
    endpoint,
    credentials: awsCredentials(env),
  });

async function fromSsm(path: string, location: AwsSecretsLocation, env: Env): Promise<Found> {
  const ssm = clientOf('ssm', location.AWS_REGION, location.AWS_ENDPOINT_URL_SSM, env);
  const name = (s: SecretSetting) => `${path}${s}`;
  const names = SECRET_SETTINGS.map(name);
  const got = new Map<string, unknown>();
  try {
    // Names SSM does not know come back under InvalidParameters, not as an error of the whole batch.
    const batches = Array.from({ length: Math.ceil(names.length / SSM_BATCH) }, (_, i) => names.slice(i * SSM_BATCH, (i + 1) * SSM_BATCH));
    for (const out of await Promise.all(
      batches.map((Names) =>
        ssm.call<{ Parameters?: Array<{ Name?: string; Value?: string }> }>('GetParameters', { Names, WithDecryption: true }),
      ),
    )) {
      for (const p of out.Parameters ?? []) got.set(p.Name ?? '', p.Value);
    }
  } catch (e) {
    throw new Error(`could not read the secrets under SSM path ${path}: ${(e as Error).message}`, { cause: e });
  } finally {
    ssm.destroy();
  }
  const values: Record<string, string> = {};
  for (const s of SECRET_SETTINGS) {
    const value = got.get(name(s));
    if (typeof value === 'string') values[s] = value;
  }
  return { values, issues: [], where: (s) => `SSM parameter ${name(s)}` };
}

async function fromSecretsManager(id: string, location: AwsSecretsLocation, env: Env): Promise<Found> {
  const sm = clientOf('secretsmanager', location.AWS_REGION, location.AWS_ENDPOINT_URL_SECRETS_MANAGER, env);
  const found: Found = { values: {}, issues: [], where: (s) => `key ${s} of Secrets Manager secret ${id}` };
  const problem = (message: string, path: string[] = ['SECRETS_MANAGER_SECRET_ID']) => found.issues.push({ path, message });
  let raw: string;
  try {
    const out = await sm.call<{ SecretString?: string; SecretBinary?: string }>('GetSecretValue', { SecretId: id });
    raw = out.SecretString ?? Buffer.from(out.SecretBinary ?? '', 'base64').toString('utf8');
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') {
      problem(`no Secrets Manager secret ${id}`);
      return found;
    }
    throw new Error(`could not read the Secrets Manager secret ${id}: ${(e as Error).message}`, { cause: e });
  } finally {
    sm.destroy();
  }
  let object: unknown;
  try {
    object = JSON.parse(raw);
  } catch {
    object = undefined; // the parser's message would quote the secret
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    problem(`secret ${id} must be a JSON object keyed by setting name (${SECRET_SETTINGS.join(', ')})`);
    return found;
  }
  for (const [key, value] of Object.entries(object)) {
    if (!isSecretSetting(key)) problem(`secret ${id} has the key ${key}, which is not a secret setting (${SECRET_SETTINGS.join(', ')})`);
    else if (typeof value !== 'string') problem('must be a string', [key]);
    else found.values[key] = value;
  }
  return found;
}
