import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random alphanumeric string (32 characters by default, the most nonce_str and nonceStr allow). Only letters and
 * digits, so it needs no quoting or escaping in the Authorization header, a query or the signed messages. Bytes ≥ 248
 * are skipped so every character is equally likely.
 */
export function nonce(length = 32): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}
