import { completeAttempt, failFinally } from '../domain/effects';
import type { RefundEffect } from '../domain/gift';
import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { giftIdOfOrderNo, refundNoOf } from '../domain/payment-numbers';
import type { Deps } from '../ports/deps';
import { NotificationRejectedError, type PaymentEvent } from '../ports/payments';
import { applyConfirmedPayment } from './confirm-payment';
import { applyConfirmedOrderPayment } from './group-payments';
import { updateGift, updateOrder } from './update-gift';

const mismatch = (message: string) => new NotificationRejectedError('mismatch', message);

/** The gift a notification is about; an order number that is not one of ours, or no such gift, is a mismatch. */
async function giftOf(deps: Deps, orderNo: string): Promise<GiftDocument> {
  const id = giftIdOfOrderNo(orderNo);
  const gift = id ? await deps.store.get(id) : null;
  if (!gift) throw mismatch(`no gift has order ${orderNo}`);
  return gift;
}

/**
 * Applies a verified notification with one compare-and-set, after checking it against the gift: the order must be a
 * gift's, the amount its price and the payer its giver; a refund must be one this gift requested, for the amount it
 * requested. A replay (or a notification for what a query already applied) changes nothing. Returns what happened,
 * for the log.
 */
export async function applyPaymentEvent(deps: Deps, event: PaymentEvent): Promise<string> {
  const gift = await giftOf(deps, event.orderNo);
  const order = isGroupOrder(gift);
  if (event.type === 'payment') {
    if (!event.paid) return `trade state ${event.state}: nothing to apply`;
    const { payment } = event;
    // A group order charges quantity × price in one payment.
    const amount = order ? gift.amountFen : gift.priceFen;
    if (payment.amountFen !== amount) throw mismatch(`amount ${payment.amountFen} is not the gift's amount ${amount}`);
    if (payment.payerId !== null && payment.payerId !== gift.giverId) throw mismatch('the payer is not the giver');
    if (gift.payment && gift.payment.paymentId !== payment.paymentId) throw mismatch('the gift was paid by another transaction');
    const after = order
      ? await applyConfirmedOrderPayment(deps, gift.id, payment, gift)
      : await applyConfirmedPayment(deps, gift.id, payment, gift);
    return `payment applied: gift ${after.status}`;
  }
  const { refund } = event;
  const effect = gift.effects.find((e): e is RefundEffect => e.kind === 'refund' && refundNoOf(gift.id, e.id) === refund.refundNo);
  if (!effect) throw mismatch(`gift ${gift.id} requested no refund ${refund.refundNo}`);
  if (effect.paymentId !== null && refund.amountFen !== effect.amountFen) {
    throw mismatch(`refund amount ${refund.amountFen} is not the ${effect.amountFen} requested`);
  }
  const status = refund.status;
  if (status === 'processing') return 'refund processing: nothing to apply';
  const settle = <D extends GiftDocument>(g: D, now: string): D =>
    status === 'succeeded'
      ? completeAttempt(g, effect.id, now, { receipt: refund.refundId, refundOutcome: 'refunded' })
      : failFinally(g, effect.id, `refund ${status.toUpperCase()} (notified by the payment provider)`, now, status);
  const after = isGroupOrder(gift)
    ? await updateOrder(deps, gift.id, settle, { current: gift })
    : await updateGift(deps, gift.id, settle, { current: gift });
  if (refund.status !== 'succeeded')
    deps.logger.error({ giftId: gift.id, refundNo: refund.refundNo, status: refund.status }, 'refund failed');
  return `refund ${refund.status}: ${after.effects.find((e) => e.id === effect.id)?.status}`;
}
