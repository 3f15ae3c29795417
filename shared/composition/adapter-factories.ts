/**
 * The adapters only some functions run, each built by a small factory from the validated configuration: the catalog,
 * claim links, fulfillment, payments (WeChat Pay or the dev provider) and their notifications, notices (WeChat
 * subscription messages or the log), WeChat login, the app's token issuer, and two kept in the platform's store engine
 * (the group orders' parts and the claim-lookup limiter: a factory per platform, shared/platform/<p>/*-engine-adapters.ts).
 * buildDeps, the one composition root, builds the ones that are wired; a deploy entry wires only those its function's
 * code reaches (`npm run gen` finds them: scripts/generate-deploy-files.ts), so a bundle carries nothing of the others,
 * and the local server wires them all. A use case reaching an adapter its function did not wire fails loudly, naming
 * it (the generated entries are checked against the code by a test, so it cannot happen unnoticed).
 */
import { JoseTokenIssuer } from '../adapters/auth/jose-token-issuer';
import { StaticCatalog } from '../adapters/memory/static-catalog';
import { MerchantCatalog } from '../adapters/merchant/merchant-catalog';
import { DevPaymentGateway, devPaymentNotifications } from '../adapters/simulated/dev-payment-gateway';
import { hmacClaimLinks } from '../adapters/system/hmac-claim-links';
import { LogNotifier } from '../adapters/system/log-notifier';
import { WebhookFulfillment } from '../adapters/system/webhook-fulfillment';
import { WechatApiLogin } from '../adapters/wechat/wechat-api-login';
import { wechatpayGatewayFrom, wechatpayNotificationsFrom } from '../adapters/wechatpay/wechatpay-from-config';
import { DEMO_CATALOG } from '../catalog/demo-catalog';
import type { CommonConfig } from '../config/common-config';
import {
  loginSettingsIssues,
  noticeSettingsIssues,
  paymentSettingsIssues,
  type SettingsCheck,
  tokenIssuerSettingsIssues,
} from '../config/wechat-settings';
import type { AttemptLimiter } from '../ports/attempt-limiter';
import type { Catalog } from '../ports/catalog';
import type { ClaimLinks } from '../ports/claim-links';
import type { Clock } from '../ports/clock';
import type { Fulfillment } from '../ports/fulfillment';
import type { GroupStore } from '../ports/group-store';
import type { Logger } from '../ports/logger';
import type { Notifier } from '../ports/notifier';
import type { PaymentGateway, PaymentNotifications } from '../ports/payments';
import type { SharedValues } from '../ports/shared-values';
import type { TokenIssuer } from '../ports/token-issuer';
import type { WechatLogin } from '../ports/wechat-login';
import { wechatNotifierFrom } from './wechat-notifier';

export interface AdapterContext {
  clock: Clock;
  logger: Logger;
  sharedValues: SharedValues;
  /** The platform's open store engine, for the adapters kept in it (shared/platform/<platform>/*-engine-adapters.ts). */
  engine: unknown;
}

/**
 * An adapter's factory and the check of the settings it reads: the configuration of a function runs the checks of the
 * adapters it wires only (wiredSettingsChecks), so a function refuses to start on a broken setting it uses and neither
 * parses nor carries the checks of settings it never reads.
 */
export interface AdapterFactory<T> {
  build: (config: CommonConfig, ctx: AdapterContext) => T;
  settings: SettingsCheck;
}

export interface AdapterFactories {
  catalog?: AdapterFactory<Catalog>;
  /** Kept in the platform's store engine: each platform has its own factory; the local server opens its own. */
  groupStore?: AdapterFactory<GroupStore>;
  limiter?: AdapterFactory<AttemptLimiter>;
  claimLinks?: AdapterFactory<ClaimLinks>;
  fulfillment?: AdapterFactory<Fulfillment>;
  payments?: AdapterFactory<PaymentGateway>;
  paymentNotifications?: AdapterFactory<PaymentNotifications>;
  notifier?: AdapterFactory<Notifier>;
  wechatLogin?: AdapterFactory<WechatLogin | null>;
  tokenIssuer?: AdapterFactory<TokenIssuer | null>;
}
export type AdapterName = keyof AdapterFactories;

/** An adapter whose settings are common ones, checked in every function (shared/config/common-config.ts). */
const COMMON_SETTINGS_ONLY: SettingsCheck = () => [];

/** The merchant's catalog with MERCHANT_API_URL and its secret, else (local mode, DEMO_MERCHANT deploys) the demo's. */
export const catalogAdapter: AdapterFactory<Catalog> = {
  build: (config, { clock }) =>
    config.MERCHANT_API_URL && config.MERCHANT_API_SECRET
      ? new MerchantCatalog({
          baseUrl: config.MERCHANT_API_URL,
          secret: config.MERCHANT_API_SECRET,
          clock,
          ttlSeconds: config.CATALOG_CACHE_SECONDS,
        })
      : new StaticCatalog(structuredClone(DEMO_CATALOG)),
  settings: COMMON_SETTINGS_ONLY,
};

/** Claim-link tokens, derived from CLAIM_LINK_SECRET (a deploy's configuration refuses to start without it). */
export const claimLinksAdapter: AdapterFactory<ClaimLinks> = {
  build: (config) => {
    if (!config.CLAIM_LINK_SECRET) throw new Error('invalid configuration:\n  CLAIM_LINK_SECRET: required (derives the claim links)');
    return hmacClaimLinks(config.CLAIM_LINK_SECRET);
  },
  settings: COMMON_SETTINGS_ONLY,
};

/** Accepted gifts go to the fulfillment webhook (a deploy's configuration refuses to start without its URL). */
export const fulfillmentAdapter: AdapterFactory<Fulfillment> = {
  build: (config, { clock }) => {
    if (!config.FULFILLMENT_WEBHOOK_URL)
      throw new Error('invalid configuration:\n  FULFILLMENT_WEBHOOK_URL: required (where accepted gifts are handed to fulfillment)');
    return new WebhookFulfillment({
      url: config.FULFILLMENT_WEBHOOK_URL,
      secret: config.FULFILLMENT_WEBHOOK_SECRET ?? '',
      clock,
      timeoutMs: config.FULFILLMENT_WEBHOOK_TIMEOUT_MS,
    });
  },
  settings: COMMON_SETTINGS_ONLY,
};

/**
 * The one payment provider an AWS deploy bundle carries, replaced at build time by build/esbuild-options.cjs from the
 * deploy's own PAYMENT_PROVIDER (serverless.yml passes the same value to the functions); undefined (both providers)
 * everywhere else: the local server, the tests, CloudBase. Compared inline below so that esbuild drops the other one.
 */
declare const SONGLI_BUNDLED_PAYMENT_PROVIDER: string | undefined;

/** A deployed function asked for the provider its bundle was built without: the deploy's settings disagree with its build. */
const notBundled = (provider: string) =>
  new Error(
    `invalid configuration:\n  PAYMENT_PROVIDER: ${provider} is not in this bundle, built for PAYMENT_PROVIDER=` +
      `${SONGLI_BUNDLED_PAYMENT_PROVIDER} (deploy with the PAYMENT_PROVIDER the functions run with; build/esbuild-options.cjs)`,
  );

/**
 * WeChat Pay (PAYMENT_PROVIDER=wechatpay), or the dev provider: a deployed demo's warm instance keeps no payment
 * records, only its last 10,000 charges (not for real money; the config refuses it on a deploy without DEMO_MERCHANT).
 */
function buildPayments(config: CommonConfig, { clock }: AdapterContext): PaymentGateway {
  if (config.PAYMENT_PROVIDER === 'wechatpay') {
    if (typeof SONGLI_BUNDLED_PAYMENT_PROVIDER === 'undefined' || SONGLI_BUNDLED_PAYMENT_PROVIDER === 'wechatpay') {
      const notifyUrl = config.WECHATPAY_NOTIFY_URL;
      if (!notifyUrl) throw new Error('invalid configuration:\n  WECHATPAY_NOTIFY_URL: required with PAYMENT_PROVIDER=wechatpay');
      return wechatpayGatewayFrom(config, { clock, notifyUrl: () => notifyUrl });
    } else throw notBundled('wechatpay'); // `else`: the minifier drops a branch only when the folded condition says so
  }
  if (typeof SONGLI_BUNDLED_PAYMENT_PROVIDER === 'undefined' || SONGLI_BUNDLED_PAYMENT_PROVIDER === 'dev') {
    return new DevPaymentGateway(null, () => clock.now(), { retainRecords: false, maxCharges: 10_000 });
  } else throw notBundled('dev');
}
export const paymentsAdapter: AdapterFactory<PaymentGateway> = { build: buildPayments, settings: paymentSettingsIssues };

/** The same provider's notifications (wechatpay-notify and the local server): verified with WeChat Pay's keys. */
function buildPaymentNotifications(config: CommonConfig, { clock }: AdapterContext): PaymentNotifications {
  if (config.PAYMENT_PROVIDER === 'wechatpay') {
    if (typeof SONGLI_BUNDLED_PAYMENT_PROVIDER === 'undefined' || SONGLI_BUNDLED_PAYMENT_PROVIDER === 'wechatpay') {
      return wechatpayNotificationsFrom(config, { clock });
    } else throw notBundled('wechatpay');
  }
  if (typeof SONGLI_BUNDLED_PAYMENT_PROVIDER === 'undefined' || SONGLI_BUNDLED_PAYMENT_PROVIDER === 'dev') {
    return devPaymentNotifications;
  } else throw notBundled('dev');
}
export const paymentNotificationsAdapter: AdapterFactory<PaymentNotifications> = {
  build: buildPaymentNotifications,
  settings: paymentSettingsIssues,
};

/** WeChat subscription messages with the mini program's appid and secret, else notices go to the log. */
export const notifierAdapter: AdapterFactory<Notifier> = {
  build: (config, { clock, logger, sharedValues }) => wechatNotifierFrom(config, sharedValues, clock) ?? new LogNotifier(logger),
  settings: noticeSettingsIssues,
};

/** WeChat login where the app's id and secret are configured (POST /auth/wechat answers WECHAT_LOGIN_DISABLED otherwise). */
export const wechatLoginAdapter: AdapterFactory<WechatLogin | null> = {
  build: (config) =>
    config.WECHAT_APPID && config.WECHAT_APP_SECRET
      ? new WechatApiLogin({
          apiBase: config.WECHAT_API_BASE,
          appId: config.WECHAT_APPID,
          appSecret: config.WECHAT_APP_SECRET,
          timeoutMs: config.WECHAT_API_TIMEOUT_MS,
        })
      : null,
  settings: loginSettingsIssues,
};

/** The app's token issuer where its key and issuer URL are configured; the key is imported here, once per instance. */
export const tokenIssuerAdapter: AdapterFactory<TokenIssuer | null> = {
  build: (config, { clock }) =>
    config.AUTH_JWT_PRIVATE_KEY && config.AUTH_JWT_ISSUER
      ? new JoseTokenIssuer({
          privateKeyPem: config.AUTH_JWT_PRIVATE_KEY,
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
          ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
          clock,
        })
      : null,
  settings: tokenIssuerSettingsIssues,
};

/** Every adapter: the local server, which serves every route and runs every job (and brings its engine's group store and limiter). */
export const ALL_ADAPTERS: Required<Omit<AdapterFactories, 'groupStore' | 'limiter'>> = {
  catalog: catalogAdapter,
  claimLinks: claimLinksAdapter,
  fulfillment: fulfillmentAdapter,
  payments: paymentsAdapter,
  paymentNotifications: paymentNotificationsAdapter,
  notifier: notifierAdapter,
  wechatLogin: wechatLoginAdapter,
  tokenIssuer: tokenIssuerAdapter,
};

const wired: AdapterFactories = {};

/** Called by a deploy entry (generated) before its first invocation: the adapters its function runs. */
export function wireAdapters(factories: AdapterFactories): void {
  Object.assign(wired, factories);
}

/** What this process's entry wired (buildDeps' default). */
export const wiredAdapters = (): AdapterFactories => wired;

/** The settings checks of what this process's entry wired: its platform's configuration runs these (aws-runtime.ts). */
export const wiredSettingsChecks = (): SettingsCheck[] => [...new Set(Object.values(wired).map((factory) => factory.settings))];

/**
 * Stands in for an adapter the function did not wire: reading it is harmless, calling any of its methods throws, naming
 * the adapter (a use case this function was not generated for reached it: run `npm run gen`).
 */
export function notWired<T extends object>(name: AdapterName): T {
  const fail = () => {
    throw new Error(`${name}: not wired into this function (its generated entry; run \`npm run gen\`)`);
  };
  return new Proxy({} as T, { get: (_, prop) => (prop === 'then' || typeof prop === 'symbol' ? undefined : fail) });
}
