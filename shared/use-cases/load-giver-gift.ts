import { AppError } from '../domain/errors';
import { type Gift, isGiftId } from '../domain/gift';
import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { reconcileUnpaid } from './confirm-payment';
import { reconcileUnpaidOrder } from './group-payments';

/** A gift or group order as its giver may load it; anyone else gets the same 404 as for one that does not exist. */
export async function loadGiverDocument(deps: Pick<Deps, 'store'>, giverId: string, giftId: string): Promise<GiftDocument> {
  // An id that cannot exist never reaches the store (DynamoDB rejects keys over 2 KB with an error, not a miss).
  const doc = isGiftId(giftId) ? await deps.store.get(giftId) : null;
  if (!doc || doc.giverId !== giverId) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  return doc;
}

/** A 1:1 gift as its giver may load it (a group order under that id answers 404 here). */
export async function loadGiverGift(deps: Pick<Deps, 'store'>, giverId: string, giftId: string): Promise<Gift> {
  const doc = await loadGiverDocument(deps, giverId, giftId);
  if (isGroupOrder(doc)) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  return doc;
}

/**
 * The giver's gift or order, and while it awaits payment, what the payment provider says of its order: the page that
 * waits for the payment sees it sent even when the notification is late. A provider that cannot be asked leaves it as
 * it was (the notification or the cleanup's query will still come).
 */
export async function loadGiverGiftReconciled(deps: Deps, giverId: string, giftId: string): Promise<GiftDocument> {
  const doc = await loadGiverDocument(deps, giverId, giftId);
  if (doc.status !== 'awaiting_payment') return doc;
  try {
    return isGroupOrder(doc) ? await reconcileUnpaidOrder(deps, doc) : await reconcileUnpaid(deps, doc);
  } catch (e) {
    if (!(e instanceof DependencyError)) throw e;
    deps.logger.warn({ giftId, err: e.message }, 'payment provider unavailable: gift shown as last known');
    return doc;
  }
}
