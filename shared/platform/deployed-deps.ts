import { DevPaymentGateway } from '../adapters/dev/dev-payment-gateway';
import { StaticCatalog } from '../adapters/memory/static-catalog';
import { MerchantCatalog } from '../adapters/merchant/merchant-catalog';
import { MerchantNotifier } from '../adapters/merchant/merchant-notifier';
import { MerchantPayments } from '../adapters/merchant/merchant-payments';
import { LogNotifier } from '../adapters/system/log-notifier';
import { nanoidIds } from '../adapters/system/nanoid-ids';
import { createLogger } from '../adapters/system/pino-logger';
import { systemClock } from '../adapters/system/system-clock';
import { WebhookFulfillment } from '../adapters/system/webhook-fulfillment';
import { DEMO_CATALOG } from '../catalog/demo-catalog';
import type { DeployConfig } from '../config/deploy-config';
import { DEFAULT_DISPATCH_POLICY, DEFAULT_GIFT_POLICY } from '../domain/gift-policy';
import type { Deps } from '../ports/deps';
import type { AttemptLimiter } from '../ports/attempt-limiter';
import type { GiftStore } from '../ports/gift-store';

/**
 * Composition root shared by both clouds: everything but the store (DynamoDB on AWS, the CloudBase
 * document database on Tencent) is wired the same way from the same configuration.
 */
export function deployedDeps(config: DeployConfig, stores: { store: GiftStore; limiter: AttemptLimiter }, platform: 'aws' | 'cloudbase'): Deps {
  const clock = systemClock;
  const logger = createLogger({ level: config.LOG_LEVEL, base: { platform } });
  const merchant = config.DEMO_MERCHANT ? null : { baseUrl: config.MERCHANT_API_URL!, secret: config.MERCHANT_API_SECRET!, clock };
  if (!merchant) logger.warn({}, 'DEMO_MERCHANT=true: demo catalog, in-memory payments, log-only notifications');
  return {
    ...stores,
    catalog: merchant ? new MerchantCatalog({ ...merchant, ttlSeconds: config.CATALOG_CACHE_SECONDS }) : new StaticCatalog(structuredClone(DEMO_CATALOG)),
    payments: merchant ? new MerchantPayments(merchant) : new DevPaymentGateway(null),
    fulfillment: new WebhookFulfillment({ url: config.FULFILLMENT_WEBHOOK_URL, secret: config.FULFILLMENT_WEBHOOK_SECRET, clock, timeoutMs: config.FULFILLMENT_WEBHOOK_TIMEOUT_MS }),
    notifier: merchant ? new MerchantNotifier(merchant) : new LogNotifier(logger),
    clock,
    ids: nanoidIds,
    logger,
    giftPolicy: { ...DEFAULT_GIFT_POLICY, giftTtlSeconds: config.GIFT_TTL_SECONDS, paymentTtlSeconds: config.PAYMENT_TTL_SECONDS },
    dispatchPolicy: {
      ...DEFAULT_DISPATCH_POLICY,
      baseDelaySeconds: config.DISPATCH_BASE_DELAY_SECONDS,
      maxDelaySeconds: config.DISPATCH_MAX_DELAY_SECONDS,
      maxAttempts: config.DISPATCH_MAX_ATTEMPTS,
    },
  };
}

/** Runs `init` once per warm instance (and again after a failed attempt), shared by concurrent first calls. */
export function once<T>(init: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => (pending ??= init().catch((e) => ((pending = null), Promise.reject(e))));
}
