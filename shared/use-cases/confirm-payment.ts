import { hashClaimToken } from '../domain/claim-token';
import type { Gift } from '../domain/gift';
import { confirmPayment } from '../domain/gift-transitions';
import { orderNoOf } from '../domain/payment-numbers';
import type { Deps } from '../ports/deps';
import type { ConfirmedPayment } from '../ports/payments';
import { updateGift } from './update-gift';

/** The first claim link of a gift: version 1, derived, never stored (only its hash). */
const FIRST_LINK_VERSION = 1;

/**
 * Applies a payment the provider confirmed (a verified notification, or a query) with one compare-and-set: an unpaid
 * gift is sent, a canceled one records the money to refund, anything already paid is left alone (replays).
 */
export async function applyConfirmedPayment(deps: Deps, giftId: string, payment: ConfirmedPayment, current?: Gift): Promise<Gift> {
  const token = deps.claimLinks.tokenFor(giftId, FIRST_LINK_VERSION);
  const link = { hash: hashClaimToken(token), version: FIRST_LINK_VERSION };
  let applied = false;
  const gift = await updateGift(
    deps,
    giftId,
    (g, now) => {
      const next = confirmPayment(
        g,
        { paymentId: payment.paymentId, amountFen: payment.amountFen, paidAt: payment.paidAt },
        link,
        now,
        deps.giftPolicy,
      );
      applied = next !== g;
      return next;
    },
    current ? { current } : {},
  );
  if (applied) deps.logger.info({ giftId, paymentId: payment.paymentId, status: gift.status }, 'payment confirmed');
  return gift;
}

/**
 * Asks the provider about an unpaid gift's order and applies a payment it reports: how a gift whose notification is
 * late (or lost) still becomes sent. Returns the gift as it now stands.
 */
export async function reconcileUnpaid(deps: Deps, gift: Gift): Promise<Gift> {
  if (gift.status !== 'awaiting_payment') return gift;
  const state = await deps.payments.query(orderNoOf(gift.id));
  if (state.state !== 'paid') return gift;
  if (state.payment.amountFen !== gift.priceFen) {
    deps.logger.error(
      { giftId: gift.id, paid: state.payment.amountFen, price: gift.priceFen },
      'order paid with another amount: not applied',
    );
    return gift;
  }
  return applyConfirmedPayment(deps, gift.id, state.payment, gift);
}
