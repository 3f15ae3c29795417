import { AppError } from '../domain/errors';
import { type Gift, isGiftId } from '../domain/gift';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { reconcileUnpaid } from './confirm-payment';

/** A gift as its giver may load it; anyone else gets the same 404 as for a gift that does not exist. */
export async function loadGiverGift(deps: Pick<Deps, 'store'>, giverId: string, giftId: string): Promise<Gift> {
  // An id that cannot exist never reaches the store (DynamoDB rejects keys over 2 KB with an error, not a miss).
  const gift = isGiftId(giftId) ? await deps.store.get(giftId) : null;
  if (!gift || gift.giverId !== giverId) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  return gift;
}

/**
 * The giver's gift, and while it awaits payment, what the payment provider says of its order: the page that waits
 * for the payment sees it sent even when the notification is late. A provider that cannot be asked leaves it as it
 * was (the notification or the cleanup's query will still come).
 */
export async function loadGiverGiftReconciled(deps: Deps, giverId: string, giftId: string): Promise<Gift> {
  const gift = await loadGiverGift(deps, giverId, giftId);
  if (gift.status !== 'awaiting_payment') return gift;
  try {
    return await reconcileUnpaid(deps, gift);
  } catch (e) {
    if (!(e instanceof DependencyError)) throw e;
    deps.logger.warn({ giftId, err: e.message }, 'payment provider unavailable: gift shown as last known');
    return gift;
  }
}
