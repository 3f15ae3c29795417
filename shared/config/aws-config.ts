import * as z from 'zod';
import {
  CommonConfig,
  MERCHANT_ISSUE,
  merchantOrDemo,
  WEBHOOK_SECRET_ISSUE,
  WEBHOOK_URL_ISSUE,
  webhookSecretWithUrl,
} from './common-config';

/** AWS Lambda. */
export const AwsConfig = CommonConfig.extend({
  GIFTS_TABLE: z.string().min(3),
  /** Only to point the SDK at a local DynamoDB (tests); unset on AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Set by the Lambda runtime. */
  AWS_REGION: z.string().default('local'),
})
  .refine((c) => Boolean(c.FULFILLMENT_WEBHOOK_URL), WEBHOOK_URL_ISSUE)
  .refine(webhookSecretWithUrl, WEBHOOK_SECRET_ISSUE)
  .refine(merchantOrDemo, MERCHANT_ISSUE);
export type AwsConfig = z.output<typeof AwsConfig>;
