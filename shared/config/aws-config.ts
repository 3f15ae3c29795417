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
  }),
);
export type AwsConfig = z.output<typeof AwsConfig>;
