/**
 * WeChat settings (names fixed: operators and tooling rely on them): WeChat Pay API v3, WeChat login, subscription
 * notices, and the app's own token issuer. Values are checked here, at start-up, so a malformed key or id stops the
 * function with a message naming the setting instead of failing on the first payment: the function that reads it
 * (each adapter's settings check below, wired with the adapter).
 */
import { X509Certificate } from 'node:crypto';
import * as z from 'zod/mini';
import { parseNoticeTemplate, TEMPLATE_SETTINGS, TEMPLATED_EVENTS } from '../adapters/wechat/notice-template';
import { privateKeyOf, publicKeyOf } from '../lib/pem-keys';
import { transformed } from '../schemas/zod-compat';

/** PEM text as operators paste it into an environment variable: literal `\n` sequences become line breaks. */
export const normalizePem = (text: string) => text.replace(/\\n/g, '\n').trim();

/** Whether `fn` accepts the PEM text (node:crypto's parsers throw on anything else). */
const parses = (fn: (pem: string) => unknown) => (pem: string) => {
  try {
    fn(pem);
    return true;
  } catch {
    return false;
  }
};

const isRsaPrivateKey = /* @__PURE__ */ parses((pem) => {
  const key = privateKeyOf(pem);
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('not RSA ≥ 2048');
});
const isRsaPublicKey = /* @__PURE__ */ parses((pem) => {
  if (publicKeyOf(pem).asymmetricKeyType !== 'rsa') throw new Error('not RSA');
});
/** One or more platform certificates (the older scheme), concatenated PEM blocks. */
const areCertificates = /* @__PURE__ */ parses((pem) => {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no certificate');
  for (const b of blocks) new X509Certificate(b);
});
const RSA_PRIVATE_KEY = 'must be an RSA private key (≥ 2048 bits) in PEM';

/**
 * Keys, certificates and notice templates are read here as text (PEM normalised); what makes one well-formed is
 * checked by the settings check of the adapter that reads it (below), so only the functions that wire it parse it.
 */
const pem = transformed(z.string(), normalizePem);
const httpUrl = z.url({ protocol: /^https?$/ });
/** An optional string matching `pattern`, refused with `message`. */
const optionalMatching = (pattern: RegExp, message: string) => z.optional(z.string().check(z.regex(pattern, message)));

export const WechatSettings = {
  /** `dev`: simulated payments (local default, demo deploys); `wechatpay`: WeChat Pay API v3 (JSAPI). */
  PAYMENT_PROVIDER: z._default(z.enum(['dev', 'wechatpay']), 'dev'),
  WECHAT_APPID: optionalMatching(/^wx[0-9a-f]{16}$/i, 'must be a mini program appid (wx + 16 hex digits)'),
  WECHAT_APP_SECRET: optionalMatching(/^[0-9a-f]{32}$/i, 'must be the 32-character AppSecret'),
  WECHAT_API_BASE: z._default(httpUrl, 'https://api.weixin.qq.com'),
  /** A WeChat API call (login) slower than this counts as WeChat unavailable (503 to the caller, who may retry). */
  WECHAT_API_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(30_000)), 5_000),
  WECHATPAY_API_BASE: z._default(httpUrl, 'https://api.mch.weixin.qq.com'),
  WECHATPAY_MCHID: optionalMatching(/^\d{8,12}$/, 'must be the merchant id (digits)'),
  /** Serial number of the merchant API certificate whose key is WECHATPAY_PRIVATE_KEY. */
  WECHATPAY_MERCHANT_SERIAL: optionalMatching(/^[0-9A-Fa-f]{8,64}$/, 'must be the merchant API certificate serial (hex)'),
  WECHATPAY_PRIVATE_KEY: z.optional(pem),
  WECHATPAY_APIV3_KEY: z.optional(z.string().check(z.refine((k) => Buffer.byteLength(k, 'utf8') === 32, 'must be the 32-byte APIv3 key'))),
  /** 微信支付公钥 id (`PUB_KEY_ID_…`) and the key: how WeChat Pay's answers and notifications are verified. */
  WECHATPAY_PUBLIC_KEY_ID: optionalMatching(/^PUB_KEY_ID_[0-9A-Za-z_]+$/, 'must start with PUB_KEY_ID_'),
  WECHATPAY_PUBLIC_KEY: z.optional(pem),
  /** Platform certificates (merchants not yet switched to the public key); serials are read from them. */
  WECHATPAY_PLATFORM_CERTIFICATES: z.optional(pem),
  /** Where WeChat Pay posts payment and refund notifications (…/wechatpay/notify): https, no query, in production. */
  WECHATPAY_NOTIFY_URL: z.optional(httpUrl),
  /** Signs the app's own login tokens (RS256); locally generated into DATA_DIR when unset. */
  AUTH_JWT_PRIVATE_KEY: z.optional(pem),
  /** The tokens' `iss`, and where /.well-known/openid-configuration is served (the API's base URL). */
  AUTH_JWT_ISSUER: z.optional(httpUrl),
  AUTH_JWT_AUDIENCE: z._default(z.string().check(z.minLength(1)), 'songli'),
  /** Lifetime of a login token: at most 2 hours. */
  AUTH_TOKEN_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(7_200)), 7_200),
  /** Derives claim links (HMAC of the gift id and its link version); locally generated into DATA_DIR when unset. */
  CLAIM_LINK_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
  /** Subscription-message templates; an unset one skips that notice. */
  WECHAT_TEMPLATE_GIFT_CLAIMED: z.optional(z.string()),
  WECHAT_TEMPLATE_GIFT_ACCEPTED: z.optional(z.string()),
  WECHAT_TEMPLATE_GIFT_REFUNDED: z.optional(z.string()),
  WECHAT_TEMPLATE_GIFT_EXPIRING: z.optional(z.string()),
  WECHAT_TEMPLATE_GIFT_THANKED: z.optional(z.string()),
  /** The mini-program page a notice opens, `?giftId=<id>` added (e.g. `pages/gift/detail`); unset: it opens nothing. */
  WECHAT_NOTICE_PAGE: optionalMatching(
    /^\/?[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/,
    'must be a page path of the mini program, without a query (e.g. pages/gift/detail)',
  ),
  /** The recipient's reminder goes this long before the 24 hours run out. */
  REMINDER_BEFORE_EXPIRY_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 7_200),
  /** Which version of the mini program a notice opens. */
  WECHAT_MINIPROGRAM_STATE: z._default(z.enum(['developer', 'trial', 'formal']), 'formal'),
};

/** Settings that are secrets: on AWS read from SSM Parameter Store / Secrets Manager at cold start, never plaintext. */
export const SECRET_SETTINGS = [
  'WECHAT_APP_SECRET',
  'WECHATPAY_PRIVATE_KEY',
  'WECHATPAY_APIV3_KEY',
  'AUTH_JWT_PRIVATE_KEY',
  'CLAIM_LINK_SECRET',
  'FULFILLMENT_WEBHOOK_SECRET',
  'MERCHANT_API_SECRET',
  'MERCHANT_CALLBACK_SECRET',
] as const;
export type SecretSetting = (typeof SECRET_SETTINGS)[number];

type WechatFields = z.output<z.ZodMiniObject<typeof WechatSettings>>;

const PRODUCTION_PAY_HOST = 'api.mch.weixin.qq.com';

interface Issue {
  path: string[];
  message: string;
}

/** The merchant's WeChat Pay keys, all of them or none (none: locally, the stand-in plays WeChat). */
export const WECHATPAY_KEYS = [
  'WECHATPAY_MCHID',
  'WECHATPAY_MERCHANT_SERIAL',
  'WECHATPAY_PRIVATE_KEY',
  'WECHATPAY_APIV3_KEY',
  'WECHAT_APPID',
] as const;

/**
 * The checks of the settings one adapter reads (shared/composition/adapter-factories.ts): a function refuses to start
 * on a broken setting it uses, while one it never reads (a notice template in create-gift) need not stop it, nor be
 * parsed by it at every cold start. Each returns every problem, listed at start-up with the schema's (read-config.ts).
 * `deployed`: the notify URL and the app secret cannot be filled in by a local stand-in.
 */
export type SettingsCheck = (c: WechatFields, opts: { deployed: boolean }) => Issue[];

/** Collects the problems of one check: `need` names a missing setting, `bad` a malformed one. */
function issuesOf(c: WechatFields, fill: (need: (name: keyof WechatFields, why: string) => void, issues: Issue[]) => void): Issue[] {
  const issues: Issue[] = [];
  fill((name, why) => {
    if (c[name] === undefined) issues.push({ path: [name], message: `required ${why}` });
  }, issues);
  return issues;
}
const malformed = (issues: Issue[], name: string, value: string | undefined, ok: (v: string) => boolean, message: string) => {
  if (value !== undefined && !ok(value)) issues.push({ path: [name], message });
};

/** WeChat Pay's keys, certificates and notify URL: the payments adapter (PAYMENT_PROVIDER=wechatpay). */
export const paymentSettingsIssues: SettingsCheck = (c, opts) =>
  issuesOf(c, (need, issues) => {
    malformed(issues, 'WECHATPAY_PRIVATE_KEY', c.WECHATPAY_PRIVATE_KEY, isRsaPrivateKey, RSA_PRIVATE_KEY);
    malformed(issues, 'WECHATPAY_PUBLIC_KEY', c.WECHATPAY_PUBLIC_KEY, isRsaPublicKey, 'must be an RSA public key in PEM');
    const certificates = c.WECHATPAY_PLATFORM_CERTIFICATES;
    malformed(issues, 'WECHATPAY_PLATFORM_CERTIFICATES', certificates, areCertificates, 'must be one or more X.509 certificates in PEM');
    if (c.PAYMENT_PROVIDER === 'wechatpay') {
      const anyKey = WECHATPAY_KEYS.some((k) => c[k] !== undefined);
      if (opts.deployed || anyKey) {
        for (const k of WECHATPAY_KEYS) need(k, 'with PAYMENT_PROVIDER=wechatpay');
        if (!c.WECHATPAY_PLATFORM_CERTIFICATES) {
          need('WECHATPAY_PUBLIC_KEY_ID', 'with PAYMENT_PROVIDER=wechatpay (or WECHATPAY_PLATFORM_CERTIFICATES)');
          need('WECHATPAY_PUBLIC_KEY', 'with PAYMENT_PROVIDER=wechatpay (or WECHATPAY_PLATFORM_CERTIFICATES)');
        }
      }
      if (opts.deployed) need('WECHATPAY_NOTIFY_URL', 'with PAYMENT_PROVIDER=wechatpay');
    }
    if (Boolean(c.WECHATPAY_PUBLIC_KEY_ID) !== Boolean(c.WECHATPAY_PUBLIC_KEY)) {
      issues.push({ path: ['WECHATPAY_PUBLIC_KEY'], message: 'WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY go together' });
    }
    if (new URL(c.WECHATPAY_API_BASE).hostname === PRODUCTION_PAY_HOST && c.WECHATPAY_NOTIFY_URL) {
      const u = new URL(c.WECHATPAY_NOTIFY_URL);
      if (u.protocol !== 'https:' || u.search) {
        issues.push({ path: ['WECHATPAY_NOTIFY_URL'], message: 'must be https without a query string with the production WeChat Pay API' });
      }
    }
  });

/** The subscription notices' templates (`<templateId>` or `<templateId>:key=field,…`) and the app id they go out with. */
export const noticeSettingsIssues: SettingsCheck = (c, opts) =>
  issuesOf(c, (need, issues) => {
    for (const event of TEMPLATED_EVENTS) {
      const value = c[TEMPLATE_SETTINGS[event] as keyof WechatFields] as string | undefined;
      const parsed = value === undefined ? null : parseNoticeTemplate(event, value);
      if (parsed && !parsed.ok) for (const message of parsed.problems) issues.push({ path: [TEMPLATE_SETTINGS[event]], message });
    }
    if (TEMPLATED_EVENTS.some((e) => c[TEMPLATE_SETTINGS[e] as keyof WechatFields]) && (opts.deployed || c.WECHAT_APPID)) {
      need('WECHAT_APPID', 'to send subscription notices');
      need('WECHAT_APP_SECRET', 'to send subscription notices');
    }
    if (c.WECHAT_APPID && !c.WECHAT_APP_SECRET && opts.deployed) need('WECHAT_APP_SECRET', 'with WECHAT_APPID');
  });

/** WeChat login: the app id goes with its secret. */
export const loginSettingsIssues: SettingsCheck = (c, opts) =>
  issuesOf(c, (need) => {
    if (c.WECHAT_APPID && !c.WECHAT_APP_SECRET && opts.deployed) need('WECHAT_APP_SECRET', 'with WECHAT_APPID');
  });

/** The app's own token issuer: its signing key. */
export const tokenIssuerSettingsIssues: SettingsCheck = (c) =>
  issuesOf(c, (_, issues) => malformed(issues, 'AUTH_JWT_PRIVATE_KEY', c.AUTH_JWT_PRIVATE_KEY, isRsaPrivateKey, RSA_PRIVATE_KEY));

/** Every adapter's checks: where every adapter is wired (the local server) and in the tests. */
export const EVERY_SETTINGS_CHECK: readonly SettingsCheck[] = [
  paymentSettingsIssues,
  noticeSettingsIssues,
  loginSettingsIssues,
  tokenIssuerSettingsIssues,
];

/** The problems the checks find, each named once (two adapters may need the same setting). */
export function wechatIssues(c: WechatFields, opts: { deployed: boolean }, checks: readonly SettingsCheck[]): Issue[] {
  const seen = new Set<string>();
  return checks
    .flatMap((check) => check(c, opts))
    .filter((issue) => {
      const key = `${issue.path.join('.')}\n${issue.message}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
}
