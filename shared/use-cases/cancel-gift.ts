import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { cancelByGiver } from '../domain/gift-transitions';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { reconcileUnpaid } from './confirm-payment';
import { cancelOrder } from './group-payments';
import { loadGiverDocument } from './load-giver-gift';
import { updateGift } from './update-gift';

/**
 * The giver cancels a gift not paid for. The provider is asked about the order first, so a payment whose
 * notification is late makes the gift sent (GIFT_ALREADY_PAID) rather than canceled. The cancel records the cleanup's
 * refund effect: its dispatch closes the order, and refunds a payment that lands between the query and the close.
 * Canceling a canceled gift answers with it.
 */
export async function cancelGift(deps: Deps, giverId: string, giftId: string): Promise<GiftDocument> {
  const doc = await loadGiverDocument(deps, giverId, giftId);
  if (isGroupOrder(doc)) return cancelOrder(deps, giverId, doc);
  let gift = doc;
  try {
    gift = await reconcileUnpaid(deps, gift);
  } catch (e) {
    // Safe without the answer: the recorded refund closes the order and returns whatever was paid.
    if (!(e instanceof DependencyError)) throw e;
    deps.logger.warn({ giftId, err: e.message }, 'payment provider unavailable: canceled without asking');
  }
  let changed = false;
  const canceled = await updateGift(
    deps,
    giftId,
    (g, now) => {
      const next = cancelByGiver(g, giverId, now);
      changed = next !== g;
      return next;
    },
    { current: gift },
  );
  if (changed) deps.logger.info({ giftId }, 'gift canceled by the giver');
  return canceled;
}
