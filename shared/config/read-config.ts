import type * as z from 'zod/mini';
import '../schemas/zod-english';

type Env = Readonly<Record<string, string | undefined>>;

/** One problem with a setting, as start-up reports it. */
export interface ConfigIssue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * Settings kept outside the environment (on AWS the secrets, in SSM Parameter Store or Secrets Manager): merged over the
 * environment's before validation, so the schema judges them exactly as it would an environment variable.
 */
export interface StoredSettings {
  values: Readonly<Record<string, string>>;
  /** Problems found while gathering them (an unreadable store, a plaintext secret), listed with the schema's. */
  issues: readonly ConfigIssue[];
  /** Where a stored setting lives ("SSM parameter /songli/prod/X"), appended to its problems; undefined for others. */
  whereIs(name: string): string | undefined;
}

/** The settings that are set: empty values count as unset (a deploy tool writes '' for an absent one). */
export const presentSettings = (env: Env): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));

/**
 * The only reader of the process environment: empty values count as unset, and every problem is listed in one
 * error naming each setting, so a misconfigured deploy says exactly what to fix.
 */
export function readConfig<S extends z.ZodMiniType>(schema: S, env: Env = process.env, stored?: StoredSettings): z.output<S> {
  const parsed = schema.safeParse({ ...presentSettings(env), ...presentSettings(stored?.values ?? {}) });
  const issues: ConfigIssue[] = [...(stored?.issues ?? []), ...(parsed.success ? [] : parsed.error.issues)];
  if (issues.length > 0) {
    const line = (i: ConfigIssue) => {
      const where = stored?.whereIs(String(i.path[0]));
      return `  ${i.path.map(String).join('.')}: ${i.message}${where ? ` (${where})` : ''}`;
    };
    throw new Error(`invalid configuration:\n${issues.map(line).join('\n')}`);
  }
  return parsed.data as z.output<S>;
}

/** readConfig with settings from a store that the environment locates (AWS: the secrets), loaded first. */
export async function readConfigWithStore<S extends z.ZodMiniType>(
  schema: S,
  load: (env: Env) => Promise<StoredSettings>,
  env: Env = process.env,
): Promise<z.output<S>> {
  return readConfig(schema, env, await load(env));
}

/**
 * The credentials an AWS function signs its requests with: the Lambda runtime sets its execution role's session in
 * the environment (the same names every AWS SDK reads). Null when unset (a local run with no AWS at all).
 */
export function readAwsCredentials(
  env: Env = process.env,
): { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined } | null {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN } = presentSettings(env);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: AWS_SESSION_TOKEN } : null;
}
