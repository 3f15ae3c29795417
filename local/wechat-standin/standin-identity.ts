import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { nonce } from '../../shared/adapters/wechatpay/wechatpay-crypto';

/**
 * Who the stand-in plays and who it expects: a merchant (mchid, the API key pair it signs requests and paySign with,
 * and that key's certificate serial), a mini-program (appid, secret), the APIv3 key notifications are encrypted
 * with, and the 微信支付公钥 (`PUB_KEY_ID_…`) WeChat signs responses and notifications with. It plays a merchant
 * onboarded with the public key only (no platform certificates, facts §2), so every answer carries that serial.
 */
export interface StandinIdentity {
  mchid: string;
  appId: string;
  appSecret: string;
  apiV3Key: string;
  merchant: { privateKeyPem: string; publicKeyPem: string; serialNo: string };
  wechatpay: { privateKeyPem: string; publicKeyPem: string; publicKeyId: string };
}

const rsa2048 = () => {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
};

export const randomDigits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function generateStandinIdentity(): StandinIdentity {
  return {
    mchid: `19${randomDigits(8)}`,
    appId: `wx${hex(8)}`,
    appSecret: hex(16),
    apiV3Key: nonce(32),
    merchant: { ...rsa2048(), serialNo: hex(20).toUpperCase() },
    wechatpay: { ...rsa2048(), publicKeyId: `PUB_KEY_ID_01${randomDigits(26)}` },
  };
}

/** What the app needs to be configured against this stand-in (the merchant's side of the keys, never WeChat's). */
export const merchantSettings = (identity: StandinIdentity, baseUrl: string) => ({
  baseUrl,
  mchid: identity.mchid,
  appId: identity.appId,
  appSecret: identity.appSecret,
  apiV3Key: identity.apiV3Key,
  merchantSerialNo: identity.merchant.serialNo,
  merchantPrivateKeyPem: identity.merchant.privateKeyPem,
  wechatpayPublicKeyId: identity.wechatpay.publicKeyId,
  wechatpayPublicKeyPem: identity.wechatpay.publicKeyPem,
});

/** WeChat's time format: RFC 3339 at Beijing time, seconds precision (`2018-06-08T10:34:56+08:00`). */
export const beijingTime = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
