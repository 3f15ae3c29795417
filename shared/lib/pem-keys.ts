import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * PEM text → key, parsed once per instance: a payment function's settings check (shared/config/wechat-settings.ts)
 * and its WeChat Pay adapter read the same keys at the same cold start, and an RSA key's parse costs ~0.4 ms of it.
 * A failed parse throws and is not kept.
 */
function parsedOnce(parse: (pem: string) => KeyObject): (pem: string) => KeyObject {
  const keys = new Map<string, KeyObject>();
  return (pem) => {
    const known = keys.get(pem);
    if (known) return known;
    const key = parse(pem);
    keys.set(pem, key);
    return key;
  };
}

export const privateKeyOf = /* @__PURE__ */ parsedOnce((pem) => createPrivateKey(pem));
export const publicKeyOf = /* @__PURE__ */ parsedOnce((pem) => createPublicKey(pem));
