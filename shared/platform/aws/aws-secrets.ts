/**
 * The secrets of an AWS function (SECRET_SETTINGS), read once per cold start: aws-runtime.ts builds the runtime once per
 * instance and keeps the values for as long as the instance is warm. Two stores, chosen by serverless.yml:
 *  - SSM Parameter Store: each secret is the SecureString `<SECRETS_SSM_PATH><SETTING_NAME>`; all of them come in one
 *    GetParameters call with decryption (Powertools batches up to 10 names a call). Absent ones are simply unset: the
 *    config schema then names every one it requires.
 *  - Secrets Manager: one secret (SECRETS_MANAGER_SECRET_ID) whose SecretString is a JSON object keyed by setting name.
 * Powertools Parameters makes the calls; its provider module (and with it the SDK client) is imported only for the
 * store in use. A secret found in the environment is refused: there it would be plaintext in the function's
 * configuration and in CloudFormation, the very thing this replaces.
 */
import { AwsSecretsLocation } from '../../config/aws-config';
import { type ConfigIssue, presentSettings, type StoredSettings } from '../../config/read-config';
import { SECRET_SETTINGS, type SecretSetting } from '../../config/wechat-settings';

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
  const found = path ? await fromSsm(path, location.data) : await fromSecretsManager(secretId!, location.data);
  return {
    values: found.values,
    issues: [...issues, ...found.issues],
    whereIs: (name) => (isSecretSetting(name) ? found.where(name) : undefined),
  };
}

const clientConfig = (region: string, endpoint: string | undefined) => ({ region, ...(endpoint ? { endpoint } : {}) });

async function fromSsm(path: string, location: AwsSecretsLocation): Promise<Found> {
  const { SSMProvider } = await import('@aws-lambda-powertools/parameters/ssm');
  const ssm = new SSMProvider({ clientConfig: clientConfig(location.AWS_REGION, location.AWS_ENDPOINT_URL_SSM) });
  const name = (s: SecretSetting) => `${path}${s}`;
  let got: Record<string, unknown>;
  try {
    // throwOnError false: names SSM does not know come back under `_errors` instead of failing the whole batch.
    got = await ssm.getParametersByName(Object.fromEntries(SECRET_SETTINGS.map((s) => [name(s), {}])), {
      decrypt: true,
      throwOnError: false,
    });
  } catch (e) {
    throw new Error(`could not read the secrets under SSM path ${path}: ${(e as Error).message}`, { cause: e });
  }
  const values: Record<string, string> = {};
  for (const s of SECRET_SETTINGS) {
    const value = got[name(s)];
    if (typeof value === 'string') values[s] = value;
  }
  return { values, issues: [], where: (s) => `SSM parameter ${name(s)}` };
}

async function fromSecretsManager(id: string, location: AwsSecretsLocation): Promise<Found> {
  const { SecretsProvider } = await import('@aws-lambda-powertools/parameters/secrets');
  const sm = new SecretsProvider({ clientConfig: clientConfig(location.AWS_REGION, location.AWS_ENDPOINT_URL_SECRETS_MANAGER) });
  const found: Found = { values: {}, issues: [], where: (s) => `key ${s} of Secrets Manager secret ${id}` };
  const problem = (message: string, path: string[] = ['SECRETS_MANAGER_SECRET_ID']) => found.issues.push({ path, message });
  let raw: unknown;
  try {
    raw = await sm.get(id, { throwOnMissing: true });
  } catch (e) {
    if ((e as Error).name === 'ParameterNotFoundError') {
      problem(`no Secrets Manager secret ${id}`);
      return found;
    }
    throw new Error(`could not read the Secrets Manager secret ${id}: ${(e as Error).message}`, { cause: e });
  }
  let object: unknown;
  try {
    object = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array));
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
