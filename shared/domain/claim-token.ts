import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A claim token is `<giftId>.<secret>`: the secret is a 32-character nanoid (192 random bits) and only its
 * SHA-256 is stored. Carrying the gift id lets the lookup be a strongly consistent read by primary key
 * instead of a query on an eventually consistent index.
 */
const TOKEN_PATTERN = /^([A-Za-z0-9_-]{4,64})\.([A-Za-z0-9_-]{32})$/;

export const CLAIM_SECRET_LENGTH = 32;

export const hashClaimToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const composeClaimToken = (giftId: string, secret: string): string => `${giftId}.${secret}`;

/** The gift id a token claims to belong to, or null when the token is malformed. */
export function giftIdOfToken(token: string): string | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? m[1]! : null;
}

export function tokenMatches(token: string, storedHash: string | null): boolean {
  if (storedHash === null) return false;
  const a = Buffer.from(hashClaimToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
