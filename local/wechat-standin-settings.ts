import type { WechatStandin } from './wechat-standin/start-wechat-standin';

/** The settings that point songli at the WeChat stand-in: its URL for both APIs and the merchant's side of its keys. */
export function standinSettings(wechat: WechatStandin): Record<string, string> {
  const m = wechat.merchantSettings;
  return {
    PAYMENT_PROVIDER: 'wechatpay',
    WECHAT_API_BASE: m.baseUrl,
    WECHATPAY_API_BASE: m.baseUrl,
    WECHAT_APPID: m.appId,
    WECHAT_APP_SECRET: m.appSecret,
    WECHATPAY_MCHID: m.mchid,
    WECHATPAY_MERCHANT_SERIAL: m.merchantSerialNo,
    WECHATPAY_PRIVATE_KEY: m.merchantPrivateKeyPem,
    WECHATPAY_APIV3_KEY: m.apiV3Key,
    WECHATPAY_PUBLIC_KEY_ID: m.wechatpayPublicKeyId,
    WECHATPAY_PUBLIC_KEY: m.wechatpayPublicKeyPem,
  };
}
