import { nanoid } from 'nanoid';
import type { IdGenerator } from '../../ports/ids';

/** nanoid's 64-symbol alphabet: 20 characters carry 120 random bits. */
export const nanoidIds: IdGenerator = {
  giftId: () => `g_${nanoid(20)}`,
};
