import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * PEM keys parsed once per process. Start-up validates the configured keys (shared/config/wechat-settings.ts) and the
 * adapters then sign and verify with the same ones (WeChat Pay, the token issuer): parsing an RSA private key costs
 * ~0.4 ms of every cold start, so the second parse is a lookup. Keyed by the PEM text (a process holds a few keys);
 * a PEM that does not parse throws each time and is not kept. KeyObjects are immutable, so sharing one is safe.
 */
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function parsedOnce(keys: Map<string, KeyObject>, pem: string, parse: (pem: string) => KeyObject): KeyObject {
  const known = keys.get(pem);
  if (known) return known;
  const key = parse(pem);
  keys.set(pem, key);
  return key;
}

export const privateKeyFromPem = (pem: string): KeyObject => parsedOnce(privateKeys, pem, createPrivateKey);
export const publicKeyFromPem = (pem: string): KeyObject => parsedOnce(publicKeys, pem, createPublicKey);
