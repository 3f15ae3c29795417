import * as z from 'zod';
import { CommonConfig, withDeployRules } from './common-config';

/** AWS Lambda. */
export const AwsConfig = withDeployRules(
  CommonConfig.extend({
    GIFTS_TABLE: z.string().min(3),
    /** Only to point the SDK at a local DynamoDB (tests); unset on AWS. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    /** Set by the Lambda runtime. */
    AWS_REGION: z.string().default('local'),
    /** Settings this one function needs (functions/manifest.ts `requires`, comma-separated; serverless.yml passes it). */
    REQUIRED_SETTINGS: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .optional(),
  }),
).superRefine((c, ctx) => {
  // The JWT authorizer trusts the app itself as issuer, and only over https (serverless.yml sets both sides).
  if (!c.AUTH_JWT_ISSUER?.startsWith('https://')) {
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_ISSUER'], message: "required: the API's https base URL, the tokens' issuer" });
  }
  for (const name of c.REQUIRED_SETTINGS ?? []) {
    if ((c as Record<string, unknown>)[name] === undefined) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'required by this function (REQUIRED_SETTINGS)' });
    }
  }
});
export type AwsConfig = z.output<typeof AwsConfig>;
