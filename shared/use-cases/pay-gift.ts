import { composeClaimToken, hashClaimToken } from '../domain/claim-token';
import { AppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { assertPayable, isOverdue, markPaid, sweep } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { ChargeRefusedError, chargeIdempotencyKey } from '../ports/payments';
import { loadGiverGift } from './load-giver-gift';
import { updateGift } from './update-gift';

export interface PayGiftResult {
  gift: Gift;
  /** The claim link's token, returned only by the call that sent the gift (the store keeps only its hash). */
  claimToken: string | null;
}

/**
 * Pays for a gift with the giver's payment provider and sends it: the gift becomes claimable and its
 * 24-hour clock starts. Idempotent: the charge is keyed by the gift, and paying a sent gift changes nothing.
 */
export async function payGift(deps: Deps, giverId: string, giftId: string): Promise<PayGiftResult> {
  const gift = await loadGiverGift(deps, giverId, giftId);
  const now = iso(deps.clock.now());
  if (gift.status === 'awaiting_payment' && isOverdue(gift, now)) {
    await updateGift(deps, giftId, (g, at) => sweep(g, at));
  }
  assertPayable(gift, now);
  if (gift.status !== 'awaiting_payment') return { gift, claimToken: null };

  const found = await deps.catalog.findSku(gift.skuId);
  if (!found || found.sku.stock <= 0) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');

  let paymentId: string;
  try {
    ({ paymentId } = await deps.payments.charge({
      idempotencyKey: chargeIdempotencyKey(gift.id),
      giftId: gift.id,
      payerId: giverId,
      amountFen: gift.priceFen,
      description: `礼物 ${gift.productTitle}`,
    }));
  } catch (e) {
    // The cleanup canceled the gift and closed its order while this payment was on its way.
    if (e instanceof ChargeRefusedError) throw new AppError('GIFT_CANCELED', 'the payment window of this gift has closed');
    throw e;
  }
  const claimToken = composeClaimToken(gift.id, deps.ids.claimSecret());
  let sentByThisCall = false;
  const paid = await updateGift(deps, gift.id, (g, at) => {
    const next = markPaid(g, { paymentId, amountFen: g.priceFen, paidAt: at }, hashClaimToken(claimToken), at, deps.giftPolicy);
    sentByThisCall = next !== g;
    return next;
  });
  if (sentByThisCall) deps.logger.info({ giftId: gift.id, paymentId }, 'gift paid and sent');
  return { gift: paid, claimToken: sentByThisCall ? claimToken : null };
}
