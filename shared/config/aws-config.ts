import * as z from 'zod/mini';
import { transformed } from '../schemas/zod-compat';
import { CommonConfig, withDeployRules, withWechatRules } from './common-config';
import { EVERY_SETTINGS_CHECK, type SettingsCheck } from './wechat-settings';

/**
 * Where the functions read their secrets (SECRET_SETTINGS) at cold start: serverless.yml sets one of the two, and the
 * secrets themselves are never environment variables on AWS (shared/platform/aws/aws-secrets.ts).
 */
export const AwsSecretsLocation = z.object({
  /** SSM Parameter Store: each secret is the SecureString `<path><SETTING_NAME>`, e.g. /songli/prod/MERCHANT_API_SECRET. */
  SECRETS_SSM_PATH: z.optional(
    z.string().check(z.regex(/^\/(?:[A-Za-z0-9_.-]+\/)+$/, 'must be a parameter path that starts and ends with / (e.g. /songli/prod/)')),
  ),
  /** Secrets Manager: one secret whose SecretString is a JSON object keyed by setting name. */
  SECRETS_MANAGER_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
  /** Only to point the SDK at a local stand-in (tests); unset on AWS. The SDK's own names for them. */
  AWS_ENDPOINT_URL_SSM: z.optional(z.url()),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: z.optional(z.url()),
  /** Set by the Lambda runtime. */
  AWS_REGION: z._default(z.string(), 'local'),
});
export type AwsSecretsLocation = z.output<typeof AwsSecretsLocation>;

const AwsSettings = withDeployRules(
  z.extend(CommonConfig, {
    ...AwsSecretsLocation.shape,
    GIFTS_TABLE: z.string().check(z.minLength(3)),
    /** The group orders' parts (shared/adapters/dynamodb/parts-table.ts), a table keyed (pk, sk) beside the gifts table. */
    PARTS_TABLE: z.string().check(z.minLength(3)),
    /** Only to point the SDK at a local DynamoDB (tests); unset on AWS. */
    DYNAMODB_ENDPOINT: z.optional(z.url()),
    /**
     * 64 timer shards keep one under DynamoDB's 1,000 write units a second per partition key past 5,000 gifts/s
     * (BENCHMARKS.md, cost); the jobs' empty queries cost $0.02 a day. Only ever increase it on a live table.
     */
    TIMER_SHARDS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000)), 64),
    /** The table's stream delivers first attempts (dispatch-stream); the scheduled passes take them after this grace. */
    DISPATCH_FIRST_DELIVERY_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(3_600)), 30),
    /** Set by the Lambda runtime. */
    AWS_REGION: z._default(z.string(), 'local'),
    /** Settings this one function needs (functions/manifest.ts `requires`, comma-separated; serverless.yml passes it). */
    REQUIRED_SETTINGS: z.optional(
      transformed(z.string(), (s) =>
        s
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    ),
  }),
).check(
  z.superRefine((c, ctx) => {
    // The JWT authorizer trusts the app itself as issuer, and only over https (serverless.yml sets both sides).
    if (!c.AUTH_JWT_ISSUER?.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_ISSUER'], message: "required: the API's https base URL, the tokens' issuer" });
    }
    for (const name of c.REQUIRED_SETTINGS ?? []) {
      if ((c as Record<string, unknown>)[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'required by this function (REQUIRED_SETTINGS)' });
      }
    }
  }),
);

/** AWS Lambda, with the settings checks of the adapters the function wires (shared/config/wechat-settings.ts). */
export const awsConfig = (checks: readonly SettingsCheck[]) => withWechatRules(AwsSettings, { deployed: true }, checks);

/** A function wiring every adapter (the tests). Dropped from bundles that do not read it. */
export const AwsConfig = /* @__PURE__ */ awsConfig(EVERY_SETTINGS_CHECK);
export type AwsConfig = z.output<typeof AwsConfig>;
