import { AppError } from '../domain/errors';
import { type Gift, isGiftId } from '../domain/gift';
import type { Deps } from '../ports/deps';

/** A gift as its giver may load it; anyone else gets the same 404 as for a gift that does not exist. */
export async function loadGiverGift(deps: Pick<Deps, 'store'>, giverId: string, giftId: string): Promise<Gift> {
  // An id that cannot exist never reaches the store (DynamoDB rejects keys over 2 KB with an error, not a miss).
  const gift = isGiftId(giftId) ? await deps.store.get(giftId) : null;
  if (!gift || gift.giverId !== giverId) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  return gift;
}
