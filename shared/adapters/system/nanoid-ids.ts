import { nanoid } from 'nanoid';
import { CLAIM_SECRET_LENGTH } from '../../domain/claim-token';
import type { IdGenerator } from '../../ports/ids';

/** nanoid's 64-symbol alphabet: 6 bits a character, so a 32-character secret carries 192 random bits. */
export const nanoidIds: IdGenerator = {
  giftId: () => `g_${nanoid(20)}`,
  claimSecret: () => nanoid(CLAIM_SECRET_LENGTH),
};
