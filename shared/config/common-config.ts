/**
 * Every setting songli reads, as one zod schema extended per target (local-config.ts, aws-config.ts and
 * cloudbase-config.ts, each its own module so a bundle carries only its target's). Validated once at start-up
 * (read-config.ts) so a typo fails loudly, listing every problem. Defaults of the policies come from the domain's constants,
 * so each has exactly one default.
 */
import * as z from 'zod/mini';
import { DEFAULT_DISPATCH_POLICY, DEFAULT_GIFT_POLICY } from '../domain/gift-policy';
import { DEFAULT_GROUP_POLICY, GROUP_QUANTITY_CEILING } from '../domain/group-policy';
import { transformed } from '../schemas/zod-compat';
import { type SettingsCheck, WechatSettings, wechatIssues } from './wechat-settings';

const secret = z.string().check(z.minLength(16, 'must be at least 16 characters'));
const baseUrl = transformed(z.url(), (u) => (u.endsWith('/') ? u : `${u}/`));

/** A positive whole number (seconds, a count) with its one default. */
export const positive = (def: number) => z._default(z.coerce.number().check(z.int(), z.positive()), def);

/** Settings every target shares: policies, receivers, merchant services, logging. */
export const CommonConfig = z.object({
  LOG_LEVEL: z._default(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), 'info'),
  GIFT_TTL_SECONDS: positive(DEFAULT_GIFT_POLICY.giftTtlSeconds),
  PAYMENT_TTL_SECONDS: positive(DEFAULT_GIFT_POLICY.paymentTtlSeconds),
  CLAIM_LOOKUP_MAX_FAILURES: positive(DEFAULT_GIFT_POLICY.claimLookupMaxFailures),
  CLAIM_LOOKUP_WINDOW_SECONDS: positive(DEFAULT_GIFT_POLICY.claimLookupWindowSeconds),
  DISPATCH_BASE_DELAY_SECONDS: positive(DEFAULT_DISPATCH_POLICY.baseDelaySeconds),
  DISPATCH_MAX_DELAY_SECONDS: positive(DEFAULT_DISPATCH_POLICY.maxDelaySeconds),
  /** A count, not a duration: after this many failed attempts an effect is marked failed. */
  DISPATCH_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000)), DEFAULT_DISPATCH_POLICY.maxAttempts),
  DISPATCH_LEASE_SECONDS: positive(DEFAULT_DISPATCH_POLICY.leaseSeconds),
  /**
   * Where a change stream delivers effects (AWS; the local change feed): how long a first delivery is left to it
   * before the scheduled passes take it (DispatchPolicy.firstDeliverySeconds). 0 where there is none (CloudBase).
   */
  DISPATCH_FIRST_DELIVERY_SECONDS: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(3_600))),
  /** A refund still processing at the provider is asked about again after this long (then doubling). */
  REFUND_CONFIRM_SECONDS: positive(DEFAULT_DISPATCH_POLICY.refundConfirmSeconds),
  /** 群发礼物 / 群礼物抽奖 (docs/group-gifts.md): most units one order may hold (2 … 999). */
  GROUP_MAX_QUANTITY: z._default(
    z.coerce.number().check(z.int(), z.gte(2), z.lte(GROUP_QUANTITY_CEILING)),
    DEFAULT_GROUP_POLICY.maxQuantity,
  ),
  /** How far ahead of its creation a lottery's drawAt may lie (bounds included). */
  LOTTERY_MIN_DELAY_SECONDS: positive(DEFAULT_GROUP_POLICY.lotteryMinDelaySeconds),
  LOTTERY_MAX_DELAY_SECONDS: positive(DEFAULT_GROUP_POLICY.lotteryMaxDelaySeconds),
  /** The draw reads the entries this long after drawAt: must exceed the HTTP functions' timeout. */
  LOTTERY_DRAW_GRACE_SECONDS: positive(DEFAULT_GROUP_POLICY.lotteryDrawGraceSeconds),
  /** Declined units of a group order are refunded in batches at most this often (WeChat Pay: ≤ 50 refunds a payment). */
  GROUP_REFUND_BATCH_INTERVAL_SECONDS: positive(DEFAULT_GROUP_POLICY.refundBatchIntervalSeconds),
  /** Partitions of the store's timer index (DynamoDB, CloudBase; 64 on AWS). Only ever increase it on a live table. */
  TIMER_SHARDS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000)), 16),
  FULFILLMENT_WEBHOOK_URL: z.optional(z.url()),
  FULFILLMENT_WEBHOOK_SECRET: z.optional(secret),
  /** A webhook call slower than this counts as failed and is retried (same idempotency key). */
  FULFILLMENT_WEBHOOK_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(30_000)), 10_000),
  MERCHANT_API_URL: z.optional(baseUrl),
  MERCHANT_API_SECRET: z.optional(secret),
  /** Verifies the merchant's shipped/delivered callbacks; unset → POST /merchant/fulfillment-events answers 403. */
  MERCHANT_CALLBACK_SECRET: z.optional(secret),
  CATALOG_CACHE_SECONDS: positive(60),
  /** Deploys only: the bundled demo catalog, simulated payments, log-only notices. Never for real money. */
  DEMO_MERCHANT: transformed(z._default(z.enum(['true', 'false']), 'false'), (v) => v === 'true'),
  ...WechatSettings,
});
export type CommonConfig = z.output<typeof CommonConfig>;

export const webhookSecretWithUrl = (c: CommonConfig) => !c.FULFILLMENT_WEBHOOK_URL || Boolean(c.FULFILLMENT_WEBHOOK_SECRET);
export const WEBHOOK_SECRET_ISSUE = {
  message: 'FULFILLMENT_WEBHOOK_SECRET (≥ 16 characters) is required with FULFILLMENT_WEBHOOK_URL',
  path: ['FULFILLMENT_WEBHOOK_SECRET'],
};
export const merchantOrDemo = (c: CommonConfig) => c.DEMO_MERCHANT || Boolean(c.MERCHANT_API_URL && c.MERCHANT_API_SECRET);
export const MERCHANT_ISSUE = {
  message: 'MERCHANT_API_URL and MERCHANT_API_SECRET are required unless DEMO_MERCHANT=true',
  path: ['MERCHANT_API_URL'],
};
export const WEBHOOK_URL_ISSUE = {
  message: 'required on a deploy: where accepted gifts are handed to fulfillment',
  path: ['FULFILLMENT_WEBHOOK_URL'],
};

export const CLAIM_LINK_ISSUE = {
  message: 'required on a deploy (≥ 32 characters): the key claim links are derived with; keep it, or every link changes',
  path: ['CLAIM_LINK_SECRET'],
};
export const DEV_PAYMENTS_ISSUE = {
  message: 'PAYMENT_PROVIDER=dev simulates payments: only with DEMO_MERCHANT=true on a deploy (use wechatpay)',
  path: ['PAYMENT_PROVIDER'],
};

/**
 * Adds the settings checks of the adapters a function wires (shared/config/wechat-settings.ts) to a schema, every
 * problem listed with the schema's own.
 */
export function withWechatRules<S extends z.ZodMiniType<CommonConfig>>(
  schema: S,
  opts: { deployed: boolean },
  checks: readonly SettingsCheck[],
) {
  return schema.check(
    z.superRefine((c: CommonConfig, ctx) => {
      for (const issue of wechatIssues(c, opts, checks)) ctx.addIssue({ code: 'custom', ...issue });
    }),
  );
}

/** The rules every deployed target adds: a fulfillment endpoint, its secret, the merchant's services or the demo, real payments. */
export function withDeployRules<S extends z.ZodMiniType<CommonConfig>>(schema: S) {
  return schema.check(
    z.refine((c: CommonConfig) => Boolean(c.FULFILLMENT_WEBHOOK_URL), WEBHOOK_URL_ISSUE),
    z.refine(webhookSecretWithUrl, WEBHOOK_SECRET_ISSUE),
    z.refine(merchantOrDemo, MERCHANT_ISSUE),
    z.refine((c: CommonConfig) => c.PAYMENT_PROVIDER === 'wechatpay' || c.DEMO_MERCHANT, DEV_PAYMENTS_ISSUE),
    z.refine((c: CommonConfig) => Boolean(c.CLAIM_LINK_SECRET), CLAIM_LINK_ISSUE),
  );
}
