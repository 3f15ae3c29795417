import { AppError } from '../domain/errors';
import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { assertPayable, isOverdue } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { PaymentRefusedError, type PayParams } from '../ports/payments';
import { applyConfirmedPayment, reconcileUnpaid } from './confirm-payment';
import { liveClaimToken } from './giver-gift';
import { payOrder } from './group-payments';
import { loadGiverDocument } from './load-giver-gift';
import { paymentOrderOf } from './payment-order';
import { sweepGift } from './sweep-overdue-gifts';

export interface PayGiftResult {
  gift: GiftDocument;
  /** What the giver's wallet confirms (wx.requestPayment), while the payment is awaited; null once paid. */
  payment: PayParams | null;
  /** The live claim link once sent and unclaimed (derived, as GET /gifts/:id shows it), else null. */
  claimToken: string | null;
}

const result = (deps: Deps, gift: GiftDocument, payment: PayParams | null, now = iso(deps.clock.now())): PayGiftResult => ({
  gift,
  payment,
  claimToken: liveClaimToken(deps, gift, now),
});

/**
 * 去支付: opens (or reopens) the payment order of an unpaid gift. With WeChat Pay the answer carries the arguments of
 * wx.requestPayment and the gift stays awaiting_payment until WeChat Pay confirms the payment (notification or query);
 * the dev provider takes the money at once and the gift is sent. Idempotent: the order number is the gift's, so a
 * retry reopens the same order, and paying a gift already paid changes nothing.
 */
export async function payGift(deps: Deps, giverId: string, giftId: string): Promise<PayGiftResult> {
  const doc = await loadGiverDocument(deps, giverId, giftId);
  if (isGroupOrder(doc)) {
    const { order, payment } = await payOrder(deps, giverId, doc);
    return result(deps, order, payment);
  }
  let gift = doc;
  // One clock read for the checks below unless the sweep awaited in between (then the clock is read again).
  let now = iso(deps.clock.now());
  if (gift.status === 'awaiting_payment' && isOverdue(gift, now)) {
    // The window closed: a payment made in time is found by the query; otherwise the gift is canceled now.
    gift = await sweepGift(deps, await reconcileUnpaid(deps, gift));
    now = iso(deps.clock.now());
  }
  assertPayable(gift, now);
  if (gift.status !== 'awaiting_payment') return result(deps, gift, null, now);

  const found = await deps.catalog.findSku(gift.skuId);
  if (!found || found.sku.stock <= 0) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');

  let prepared: Awaited<ReturnType<Deps['payments']['prepare']>>;
  try {
    prepared = await deps.payments.prepare(paymentOrderOf(gift, giverId));
  } catch (e) {
    if (!(e instanceof PaymentRefusedError)) throw e;
    // Paid meanwhile (another tab, a retry): the query finds it. Closed: the cleanup canceled the gift first.
    const now = await reconcileUnpaid(deps, gift);
    if (now.status !== 'awaiting_payment') return result(deps, now, null);
    throw new AppError('GIFT_CANCELED', 'the payment window of this gift has closed', { cause: e });
  }
  if (prepared.kind === 'confirm') return result(deps, gift, prepared.payParams);
  const paid = await applyConfirmedPayment(deps, gift.id, prepared.payment, gift);
  // Canceled between the check and the charge: the charge is recorded on the gift and its refund returns it.
  const paidNow = iso(deps.clock.now());
  assertPayable(paid, paidNow);
  return result(deps, paid, null, paidNow);
}
