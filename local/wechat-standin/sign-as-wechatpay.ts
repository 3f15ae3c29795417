import { randomBytes } from 'node:crypto';
import { nonce, responseMessage, SIGNTEST_PREFIX, sign, WECHATPAY_HEADERS } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import type { StandinIdentity } from './standin-identity';

/** How an answer or a notification is signed: for real, with a signature that does not verify, or as a SIGNTEST probe. */
export type SignatureMode = 'genuine' | 'bad_signature' | 'signtest';

/**
 * The Wechatpay-* headers WeChat puts on every API answer (success, error and 204 alike) and every notification:
 * `TS\nNONCE\nBODY\n` signed with the 微信支付公钥's private key, its `PUB_KEY_ID_…` as the serial.
 */
export function wechatpaySignatureHeaders(
  identity: StandinIdentity,
  body: string,
  nowSeconds: number,
  mode: SignatureMode = 'genuine',
): Record<string, string> {
  const n = nonce();
  const genuine = () => sign(identity.wechatpay.privateKeyPem, responseMessage(nowSeconds, n, body));
  // A bad signature is a real signature of other bytes: well-formed, so only verification can catch it.
  const signature =
    mode === 'genuine'
      ? genuine()
      : mode === 'bad_signature'
        ? sign(identity.wechatpay.privateKeyPem, responseMessage(nowSeconds, n, `${body} `))
        : `${SIGNTEST_PREFIX}${randomBytes(192).toString('base64')}`;
  return {
    [WECHATPAY_HEADERS.timestamp]: String(nowSeconds),
    [WECHATPAY_HEADERS.nonce]: n,
    [WECHATPAY_HEADERS.signature]: signature,
    [WECHATPAY_HEADERS.serial]: identity.wechatpay.publicKeyId,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}
