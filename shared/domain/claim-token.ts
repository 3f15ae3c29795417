import { GIFT_ID_PATTERN } from './gift';
import { sha256 } from './sha256';

/**
 * A claim token is `<giftId>.<secret>`: the secret is 32 URL-safe characters (192 bits, derived by the ClaimLinks
 * port from the gift id, its link version and the deployment's key) and only the token's SHA-256 is stored. Carrying
 * the gift id lets the lookup be a strongly consistent read by primary key instead of a query on an eventually
 * consistent index.
 */
export const CLAIM_SECRET_LENGTH = 32;
const TOKEN_PATTERN = new RegExp(`^(${GIFT_ID_PATTERN.source.slice(1, -1)})\\.([A-Za-z0-9_-]{${CLAIM_SECRET_LENGTH}})$`);

/**
 * Stores compare this hash with plain equality: timing can at most reveal a prefix of a SHA-256 output, which does
 * not help anyone find an input that hashes to it.
 */
export function hashClaimToken(token: string): string {
  if (token !== lastHashed.token) lastHashed = { token, hash: sha256(token, 'hex') };
  return lastHashed.hash;
}

/** The last token hashed (a pure function's answer kept): paying hashes the new link, and its first claim hashes it again. */
let lastHashed = { token: '', hash: sha256('', 'hex') };

export const composeClaimToken = (giftId: string, secret: string): string => `${giftId}.${secret}`;

/** The gift id a token claims to belong to, or null when the token is malformed. */
export function giftIdOfToken(token: string): string | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? m[1]! : null;
}
