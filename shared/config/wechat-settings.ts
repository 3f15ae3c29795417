/**
 * WeChat settings (names fixed: operators and tooling rely on them): WeChat Pay API v3, WeChat login, subscription
 * notices, and the app's own token issuer. Values are checked here, at start-up, so a malformed key or id stops the
 * function with a message naming the setting instead of failing on the first payment.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import * as z from 'zod/mini';
import { parseNoticeTemplate, type TemplatedEvent } from '../adapters/wechat/notice-template';
import { transformed } from '../schemas/zod-compat';

/** PEM text as operators paste it into an environment variable: literal `\n` sequences become line breaks. */
export const normalizePem = (text: string) => text.replace(/\\n/g, '\n').trim();

const parses = (fn: (pem: string) => unknown) => (pem: string) => {
  try {
    fn(pem);
    return true;
  } catch {
    return false;
  }
};

const rsaPrivateKey = transformed(z.string(), normalizePem).check(
  z.refine(
    parses((pem) => {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('not RSA ≥ 2048');
    }),
    'must be an RSA private key (≥ 2048 bits) in PEM',
  ),
);

const rsaPublicKey = transformed(z.string(), normalizePem).check(
  z.refine(
    parses((pem) => {
      if (createPublicKey(pem).asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    }),
    'must be an RSA public key in PEM',
  ),
);

/** One or more platform certificates (the older scheme), concatenated PEM blocks. */
const certificates = transformed(z.string(), normalizePem).check(
  z.refine(
    parses((pem) => {
      const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (blocks.length === 0) throw new Error('no certificate');
      for (const b of blocks) new X509Certificate(b);
    }),
    'must be one or more X.509 certificates in PEM',
  ),
);

const httpUrl = z.url({ protocol: /^https?$/ });
/** `<templateId>` or `<templateId>:key=field,…` (shared/adapters/wechat/README.md), every problem named. */
const templateSetting = (event: TemplatedEvent) =>
  z.string().check(
    z.superRefine((setting, ctx) => {
      const parsed = parseNoticeTemplate(event, setting);
      if (!parsed.ok) for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );
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
  WECHATPAY_PRIVATE_KEY: z.optional(rsaPrivateKey),
  WECHATPAY_APIV3_KEY: z.optional(z.string().check(z.refine((k) => Buffer.byteLength(k, 'utf8') === 32, 'must be the 32-byte APIv3 key'))),
  /** 微信支付公钥 id (`PUB_KEY_ID_…`) and the key: how WeChat Pay's answers and notifications are verified. */
  WECHATPAY_PUBLIC_KEY_ID: optionalMatching(/^PUB_KEY_ID_[0-9A-Za-z_]+$/, 'must start with PUB_KEY_ID_'),
  WECHATPAY_PUBLIC_KEY: z.optional(rsaPublicKey),
  /** Platform certificates (merchants not yet switched to the public key); serials are read from them. */
  WECHATPAY_PLATFORM_CERTIFICATES: z.optional(certificates),
  /** Where WeChat Pay posts payment and refund notifications (…/wechatpay/notify): https, no query, in production. */
  WECHATPAY_NOTIFY_URL: z.optional(httpUrl),
  /** Signs the app's own login tokens (RS256); locally generated into DATA_DIR when unset. */
  AUTH_JWT_PRIVATE_KEY: z.optional(rsaPrivateKey),
  /** The tokens' `iss`, and where /.well-known/openid-configuration is served (the API's base URL). */
  AUTH_JWT_ISSUER: z.optional(httpUrl),
  AUTH_JWT_AUDIENCE: z._default(z.string().check(z.minLength(1)), 'songli'),
  /** Lifetime of a login token: at most 2 hours. */
  AUTH_TOKEN_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(7_200)), 7_200),
  /** Derives claim links (HMAC of the gift id and its link version); locally generated into DATA_DIR when unset. */
  CLAIM_LINK_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
  /** Subscription-message templates; an unset one skips that notice. */
  WECHAT_TEMPLATE_GIFT_CLAIMED: z.optional(templateSetting('gift_claimed')),
  WECHAT_TEMPLATE_GIFT_ACCEPTED: z.optional(templateSetting('gift_accepted')),
  WECHAT_TEMPLATE_GIFT_REFUNDED: z.optional(templateSetting('gift_refunded')),
  WECHAT_TEMPLATE_GIFT_EXPIRING: z.optional(templateSetting('gift_expiring')),
  WECHAT_TEMPLATE_GIFT_THANKED: z.optional(templateSetting('gift_thanked')),
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
 * Cross-setting rules. `deployed`: the notify URL and the app secret cannot be filled in by a local stand-in.
 * Returned as a list so start-up names every problem at once.
 */
export function wechatIssues(c: WechatFields, opts: { deployed: boolean }): Issue[] {
  const issues: Issue[] = [];
  const need = (name: keyof WechatFields, why: string) => {
    if (c[name] === undefined) issues.push({ path: [name], message: `required ${why}` });
  };
  const templates = [
    c.WECHAT_TEMPLATE_GIFT_CLAIMED,
    c.WECHAT_TEMPLATE_GIFT_ACCEPTED,
    c.WECHAT_TEMPLATE_GIFT_REFUNDED,
    c.WECHAT_TEMPLATE_GIFT_EXPIRING,
    c.WECHAT_TEMPLATE_GIFT_THANKED,
  ];
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
  if (templates.some(Boolean) && (opts.deployed || c.WECHAT_APPID)) {
    need('WECHAT_APPID', 'to send subscription notices');
    need('WECHAT_APP_SECRET', 'to send subscription notices');
  }
  if (c.WECHAT_APPID && !c.WECHAT_APP_SECRET && opts.deployed) need('WECHAT_APP_SECRET', 'with WECHAT_APPID');
  return issues;
}
