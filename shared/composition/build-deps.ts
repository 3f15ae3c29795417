import { nanoidIds } from '../adapters/system/nanoid-ids';
import { createLogger } from '../adapters/system/pino-logger';
import { secureRandom } from '../adapters/system/secure-random';
import { systemClock } from '../adapters/system/system-clock';
import type { CommonConfig } from '../config/common-config';
import { DEFAULT_GIFT_POLICY, type DispatchPolicy, type GiftPolicy } from '../domain/gift-policy';
import { DEFAULT_GROUP_POLICY, type GroupPolicy } from '../domain/group-policy';
import type { AttemptLimiter } from '../ports/attempt-limiter';
import type { Catalog } from '../ports/catalog';
import type { ClaimLinks } from '../ports/claim-links';
import type { Deps } from '../ports/deps';
import type { Fulfillment } from '../ports/fulfillment';
import type { GroupStore } from '../ports/group-store';
import type { Notifier } from '../ports/notifier';
import type { PaymentGateway, PaymentNotifications } from '../ports/payments';
import { type AdapterFactories, notWired, wiredAdapters } from './adapter-factories';

export const giftPolicyFrom = (config: CommonConfig): GiftPolicy => ({
  ...DEFAULT_GIFT_POLICY,
  giftTtlSeconds: config.GIFT_TTL_SECONDS,
  paymentTtlSeconds: config.PAYMENT_TTL_SECONDS,
  claimLookupMaxFailures: config.CLAIM_LOOKUP_MAX_FAILURES,
  claimLookupWindowSeconds: config.CLAIM_LOOKUP_WINDOW_SECONDS,
  reminderBeforeExpirySeconds: config.REMINDER_BEFORE_EXPIRY_SECONDS,
});

export const groupPolicyFrom = (config: CommonConfig): GroupPolicy => ({
  ...DEFAULT_GROUP_POLICY,
  maxQuantity: config.GROUP_MAX_QUANTITY,
  lotteryMinDelaySeconds: config.LOTTERY_MIN_DELAY_SECONDS,
  lotteryMaxDelaySeconds: config.LOTTERY_MAX_DELAY_SECONDS,
  lotteryDrawGraceSeconds: config.LOTTERY_DRAW_GRACE_SECONDS,
  refundBatchIntervalSeconds: config.GROUP_REFUND_BATCH_INTERVAL_SECONDS,
});

export const dispatchPolicyFrom = (config: CommonConfig): DispatchPolicy => ({
  baseDelaySeconds: config.DISPATCH_BASE_DELAY_SECONDS,
  maxDelaySeconds: config.DISPATCH_MAX_DELAY_SECONDS,
  maxAttempts: config.DISPATCH_MAX_ATTEMPTS,
  leaseSeconds: config.DISPATCH_LEASE_SECONDS,
  refundConfirmSeconds: config.REFUND_CONFIRM_SECONDS,
  firstDeliverySeconds: config.DISPATCH_FIRST_DELIVERY_SECONDS ?? 0,
});

/**
 * The store engine is the one thing every target must bring: it is opened by the target's thin edge, with the shared
 * values kept in it (WeChat's access token, shared by every instance; users' profiles) and the group orders' parts.
 */
export type DepsOverrides = Pick<Deps, 'store' | 'sharedValues'> &
  Partial<Omit<Deps, 'store' | 'sharedValues'>> & {
    platform?: string;
    /** The open engine (a DynamoDB client, a CloudBase database) for the wired adapters kept in it: groups, limiter. */
    engine?: unknown;
  };

/**
 * The composition root of every target (local server, AWS Lambda, CloudBase): everything a use case touches, wired
 * once from the validated configuration. A target passes its store engine and, where it differs, its own adapters
 * (the local server's journaled receivers, a test's fake clock). With MERCHANT_API_URL the merchant's services are
 * used; without it (local mode, or DEMO_MERCHANT deploys) the demo catalog and log-only notices. Payments follow
 * PAYMENT_PROVIDER; with WECHAT_APPID and WECHAT_APP_SECRET, notices go out as WeChat subscription messages. The
 * catalog, claim links, fulfillment, payments and their notifications, notices, WeChat login and the token issuer come
 * from `adapters` (./adapter-factories.ts): what the entry wired.
 */
export function buildDeps(config: CommonConfig, overrides: DepsOverrides, adapters: AdapterFactories = wiredAdapters()): Deps {
  const { platform = 'local', sharedValues, engine, ...given } = overrides;
  const clock = given.clock ?? systemClock;
  const logger = given.logger ?? createLogger({ level: config.LOG_LEVEL, base: { platform } });
  const merchant = Boolean(config.MERCHANT_API_URL && config.MERCHANT_API_SECRET);
  if (!merchant && platform !== 'local') logger.warn({}, 'DEMO_MERCHANT=true: demo catalog, log-only notifications');
  if (config.PAYMENT_PROVIDER === 'dev' && platform !== 'local')
    logger.warn({}, 'PAYMENT_PROVIDER=dev: simulated payments, no money moves');
  const ctx = { clock, logger, sharedValues, engine };
  return {
    store: given.store,
    groupStore: given.groupStore ?? adapters.groupStore?.build(config, ctx) ?? notWired<GroupStore>('groupStore'),
    limiter: given.limiter ?? adapters.limiter?.build(config, ctx) ?? notWired<AttemptLimiter>('limiter'),
    sharedValues,
    catalog: given.catalog ?? adapters.catalog?.build(config, ctx) ?? notWired<Catalog>('catalog'),
    payments: given.payments ?? adapters.payments?.build(config, ctx) ?? notWired<PaymentGateway>('payments'),
    paymentNotifications:
      given.paymentNotifications ??
      adapters.paymentNotifications?.build(config, ctx) ??
      notWired<PaymentNotifications>('paymentNotifications'),
    claimLinks: given.claimLinks ?? adapters.claimLinks?.build(config, ctx) ?? notWired<ClaimLinks>('claimLinks'),
    fulfillment: given.fulfillment ?? adapters.fulfillment?.build(config, ctx) ?? notWired<Fulfillment>('fulfillment'),
    notifier: given.notifier ?? adapters.notifier?.build(config, ctx) ?? notWired<Notifier>('notifier'),
    clock,
    ids: given.ids ?? nanoidIds,
    logger,
    giftPolicy: given.giftPolicy ?? giftPolicyFrom(config),
    dispatchPolicy: given.dispatchPolicy ?? dispatchPolicyFrom(config),
    groupPolicy: given.groupPolicy ?? groupPolicyFrom(config),
    random: given.random ?? secureRandom,
    wechatLogin: given.wechatLogin ?? adapters.wechatLogin?.build(config, ctx) ?? null,
    tokenIssuer: given.tokenIssuer ?? adapters.tokenIssuer?.build(config, ctx) ?? null,
  };
}
