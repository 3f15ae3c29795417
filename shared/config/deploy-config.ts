import * as z from 'zod';
import { readConfig } from './read-config';

const seconds = (def: number) => z.coerce.number().int().positive().default(def);
const baseUrl = z.url().transform((u) => (u.endsWith('/') ? u : `${u}/`));
const secret = z.string().min(16);

/**
 * Configuration of the deployed functions (AWS Lambda and CloudBase), validated on the first invocation so
 * a missing setting fails loudly in the logs instead of half-working.
 *
 * DEMO_MERCHANT=true swaps the merchant services for the bundled demo catalog, an in-memory payment
 * provider and log-only notifications, to try a deploy end to end. Not for real money: the in-memory
 * provider forgets charges when an instance is recycled.
 */
export const DeployConfig = z
  .object({
    GIFTS_TABLE: z.string().min(3).optional(),
    /** Only to point the AWS SDK at a local DynamoDB (tests); unset on AWS. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    TCB_ENV: z.string().optional(),
    TCB_COLLECTION: z.string().min(1).default('songli_gifts'),
    GIFT_TTL_SECONDS: seconds(86_400),
    PAYMENT_TTL_SECONDS: seconds(1_800),
    DISPATCH_BASE_DELAY_SECONDS: seconds(5),
    DISPATCH_MAX_DELAY_SECONDS: seconds(3_600),
    DISPATCH_MAX_ATTEMPTS: seconds(20),
    FULFILLMENT_WEBHOOK_URL: z.url(),
    FULFILLMENT_WEBHOOK_SECRET: secret,
    FULFILLMENT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(30_000).default(10_000),
    MERCHANT_API_URL: baseUrl.optional(),
    MERCHANT_API_SECRET: secret.optional(),
    MERCHANT_CALLBACK_SECRET: secret.optional(),
    CATALOG_CACHE_SECONDS: seconds(60),
    DEMO_MERCHANT: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .refine((c) => c.DEMO_MERCHANT || (c.MERCHANT_API_URL && c.MERCHANT_API_SECRET), {
    message: 'MERCHANT_API_URL and MERCHANT_API_SECRET are required unless DEMO_MERCHANT=true',
    path: ['MERCHANT_API_URL'],
  });
export type DeployConfig = z.infer<typeof DeployConfig>;

export function readDeployConfig(env: Record<string, string | undefined> = process.env): DeployConfig {
  return readConfig(DeployConfig, env);
}
