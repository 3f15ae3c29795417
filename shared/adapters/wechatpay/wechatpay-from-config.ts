import type { CommonConfig } from '../../config/common-config';
import { privateKeyOf } from '../../lib/pem-keys';
import type { Clock } from '../../ports/clock';
import { WechatpayClient } from './wechatpay-client';
import { WechatpayGateway } from './wechatpay-gateway';
import { wechatpayVerifyKeys } from './wechatpay-keys';
import { WechatpayNotifications } from './wechatpay-notification';

type Settings = Pick<
  CommonConfig,
  | 'WECHAT_APPID'
  | 'WECHATPAY_API_BASE'
  | 'WECHATPAY_MCHID'
  | 'WECHATPAY_MERCHANT_SERIAL'
  | 'WECHATPAY_PRIVATE_KEY'
  | 'WECHATPAY_APIV3_KEY'
  | 'WECHATPAY_PUBLIC_KEY_ID'
  | 'WECHATPAY_PUBLIC_KEY'
  | 'WECHATPAY_PLATFORM_CERTIFICATES'
>;

/** A call to WeChat Pay slower than this is abandoned and retried with the same numbers. */
export const WECHATPAY_TIMEOUT_MS = 10_000;

/** A required setting's value, or the start-up error naming it. */
function needOf(config: Settings) {
  return (name: keyof Settings): string => {
    const value = config[name];
    if (typeof value !== 'string' || !value) throw new Error(`invalid configuration:\n  ${name}: required with PAYMENT_PROVIDER=wechatpay`);
    return value;
  };
}

/** The keys that verify WeChat Pay's answers and notifications: its public key, or its platform certificates. */
const verifyKeysOf = (config: Settings) =>
  wechatpayVerifyKeys({
    publicKeyId: config.WECHATPAY_PUBLIC_KEY_ID,
    publicKeyPem: config.WECHATPAY_PUBLIC_KEY,
    certificatesPem: config.WECHATPAY_PLATFORM_CERTIFICATES,
  });

/**
 * The WeChat Pay gateway from validated settings (shared/config/wechat-settings.ts checks that all of them are there
 * with PAYMENT_PROVIDER=wechatpay). Keys are parsed once, here, not per call.
 */
export function wechatpayGatewayFrom(
  config: Settings,
  opts: { clock: Clock; notifyUrl: () => string; timeoutMs?: number; fetch?: typeof fetch },
): WechatpayGateway {
  const need = needOf(config);
  const merchantKey = privateKeyOf(need('WECHATPAY_PRIVATE_KEY'));
  const now = () => opts.clock.now();
  const base = need('WECHATPAY_API_BASE');
  const client = new WechatpayClient(
    {
      baseUrl: base.endsWith('/') ? base : `${base}/`,
      mchid: need('WECHATPAY_MCHID'),
      merchantSerial: need('WECHATPAY_MERCHANT_SERIAL'),
      merchantKey,
      verifyKeys: verifyKeysOf(config),
      publicKeyId: config.WECHATPAY_PUBLIC_KEY_ID ?? null,
    },
    { now, timeoutMs: opts.timeoutMs ?? WECHATPAY_TIMEOUT_MS, fetch: opts.fetch },
  );
  return new WechatpayGateway({
    client,
    appId: need('WECHAT_APPID'),
    mchid: need('WECHATPAY_MCHID'),
    merchantKey,
    notifyUrl: opts.notifyUrl,
    now,
  });
}

/** WeChat Pay's notifications, read with the merchant's APIv3 key and WeChat Pay's verifying keys. */
export function wechatpayNotificationsFrom(config: Settings, opts: { clock: Clock }): WechatpayNotifications {
  const need = needOf(config);
  return new WechatpayNotifications({
    appId: need('WECHAT_APPID'),
    mchid: need('WECHATPAY_MCHID'),
    apiV3Key: need('WECHATPAY_APIV3_KEY'),
    verifyKeys: verifyKeysOf(config),
    now: () => opts.clock.now(),
  });
}
