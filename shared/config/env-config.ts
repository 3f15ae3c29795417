import * as z from 'zod';
import { readConfig } from './read-config';

const seconds = (def: number) => z.coerce.number().int().positive().default(def);

/** Environment configuration, validated once at start-up so a typo fails loudly instead of at 3 a.m. */
export const EnvConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./.data'),
  /** Local mode's store: dynalite (the DynamoDB adapter AWS runs), leveldb (fast, for big data sets) or memory. */
  LOCAL_STORE: z.enum(['dynalite', 'leveldb', 'memory']).default('dynalite'),
  GIFTS_TABLE: z.string().min(3).default('songli-gifts'),
  GIFT_TTL_SECONDS: seconds(86_400),
  PAYMENT_TTL_SECONDS: seconds(1_800),
  SWEEP_INTERVAL_SECONDS: seconds(60),
  DISPATCH_INTERVAL_SECONDS: seconds(5),
  DISPATCH_BASE_DELAY_SECONDS: seconds(5),
  DISPATCH_MAX_DELAY_SECONDS: seconds(3_600),
  DISPATCH_MAX_ATTEMPTS: seconds(20),
  FULFILLMENT_WEBHOOK_URL: z.url().optional(),
  FULFILLMENT_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** A webhook call slower than this counts as failed and is retried (same idempotency key). */
  FULFILLMENT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().max(30_000).default(10_000),
  /** Verifies the merchant's shipped/delivered callbacks; unset → POST /merchant/fulfillment-events answers 403. */
  MERCHANT_CALLBACK_SECRET: z.string().min(16).optional(),
  /** Signs local-mode login tokens; generated and kept under DATA_DIR when unset. */
  DEV_JWT_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
}).refine((c) => !c.FULFILLMENT_WEBHOOK_URL || c.FULFILLMENT_WEBHOOK_SECRET, {
  message: 'FULFILLMENT_WEBHOOK_SECRET (≥ 16 characters) is required with FULFILLMENT_WEBHOOK_URL',
  path: ['FULFILLMENT_WEBHOOK_SECRET'],
});
export type EnvConfig = z.infer<typeof EnvConfig>;

export function readEnvConfig(env: Record<string, string | undefined> = process.env): EnvConfig {
  return readConfig(EnvConfig, env);
}
