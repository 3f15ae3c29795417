import { createHmac, createSecretKey } from 'node:crypto';
import { CLAIM_SECRET_LENGTH, composeClaimToken } from '../../domain/claim-token';
import type { ClaimLinks } from '../../ports/claim-links';

/**
 * HMAC-SHA256 under the deployment's CLAIM_LINK_SECRET, base64url, first 32 characters (192 bits): without the key a
 * token cannot be computed from the gift id, and with it every instance derives the same one.
 */
export function hmacClaimLinks(secret: string): ClaimLinks {
  // A KeyObject made once: createHmac with raw bytes imports the key again on every call (~25 % of its cost).
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  // The last token derived: paying derives the same one twice (the write's hash, then the giver's answer).
  let last = { input: '', token: '' };
  return {
    tokenFor(giftId, linkVersion) {
      const input = `songli-claim-link\n${giftId}\n${linkVersion}`;
      if (input === last.input) return last.token;
      const mac = createHmac('sha256', key).update(input).digest('base64url');
      last = { input, token: composeClaimToken(giftId, mac.slice(0, CLAIM_SECRET_LENGTH)) };
      return last.token;
    },
  };
}
