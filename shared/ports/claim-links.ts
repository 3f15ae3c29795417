/**
 * Claim-link tokens derived from the gift: `<giftId>.<32 characters>` where the characters come from a keyed hash of
 * the gift id and its link version. Nothing secret is stored (only the token's SHA-256), yet the giver's page can
 * show the live link again; a new version replaces the link and kills the old one.
 */
export interface ClaimLinks {
  tokenFor(giftId: string, linkVersion: number): string;
}
