import { type KeyObject, X509Certificate } from 'node:crypto';
import { publicKeyOf } from '../../lib/pem-keys';

/**
 * The {serial → key} map answers and notifications are verified with (facts §2): the 微信支付公钥 under its
 * `PUB_KEY_ID_…`, and each platform certificate under its serial, side by side while WeChat Pay switches a merchant
 * from certificates to the public key over about a week.
 */
export function wechatpayVerifyKeys(opts: {
  publicKeyId?: string;
  publicKeyPem?: string;
  certificatesPem?: string;
}): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  if (opts.publicKeyId && opts.publicKeyPem) keys.set(opts.publicKeyId, publicKeyOf(opts.publicKeyPem));
  for (const block of opts.certificatesPem?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
    const cert = new X509Certificate(block);
    keys.set(cert.serialNumber.toUpperCase(), cert.publicKey);
  }
  return keys;
}
