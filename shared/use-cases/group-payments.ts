/**
 * The money side of a group order, as confirm-payment.ts / pay-gift.ts / cancel-gift.ts are for a 1:1 gift: one
 * payment order (out_trade_no = the order id) for N × price, confirmed by a verified notification or a query, one
 * compare-and-set of the order each time.
 */
import { hashClaimToken } from '../domain/claim-token';
import { AppError } from '../domain/errors';
import {
  assertOrderPayable,
  assertStockFor,
  cancelOrderByGiver,
  cancelUnpaidOrder,
  confirmOrderPayment,
  type GroupOrder,
  isPaymentOverdue,
} from '../domain/group-order';
import { orderNoOf } from '../domain/payment-numbers';
import { iso } from '../domain/time';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { type ConfirmedPayment, PaymentRefusedError, type PayParams } from '../ports/payments';
import { paymentOrderOf } from './payment-order';
import { updateOrder } from './update-gift';

const FIRST_LINK_VERSION = 1;

/** Applies a confirmed payment: an unpaid order is sent (its claim link goes live), a canceled one refunds it all. */
export async function applyConfirmedOrderPayment(
  deps: Deps,
  orderId: string,
  payment: ConfirmedPayment,
  current?: GroupOrder,
): Promise<GroupOrder> {
  const link = { hash: hashClaimToken(deps.claimLinks.tokenFor(orderId, FIRST_LINK_VERSION)), version: FIRST_LINK_VERSION };
  let applied = false;
  const order = await updateOrder(
    deps,
    orderId,
    (o, now) => {
      const paid = { paymentId: payment.paymentId, amountFen: payment.amountFen, paidAt: payment.paidAt };
      const next = confirmOrderPayment(o, paid, link, now, deps.giftPolicy);
      applied = next !== o;
      return next;
    },
    current ? { current } : {},
  );
  if (applied) deps.logger.info({ giftId: orderId, paymentId: payment.paymentId, status: order.status }, 'payment confirmed');
  return order;
}

/** Asks the provider about an unpaid order and applies a payment it reports (a late or lost notification). */
export async function reconcileUnpaidOrder(deps: Deps, order: GroupOrder): Promise<GroupOrder> {
  if (order.status !== 'awaiting_payment') return order;
  const state = await deps.payments.query(orderNoOf(order.id));
  if (state.state !== 'paid') return order;
  if (state.payment.amountFen !== order.amountFen) {
    deps.logger.error({ giftId: order.id, paid: state.payment.amountFen, amount: order.amountFen }, 'order paid with another amount');
    return order;
  }
  return applyConfirmedOrderPayment(deps, order.id, state.payment, order);
}

/** The cleanup (or a late pay) on an unpaid order past its window: asks the provider, then cancels if still unpaid. */
export async function cancelOverdueOrder(deps: Deps, order: GroupOrder): Promise<GroupOrder> {
  const reconciled = await reconcileUnpaidOrder(deps, order);
  if (reconciled.status !== 'awaiting_payment') return reconciled;
  return updateOrder(deps, order.id, (o, now) => cancelUnpaidOrder(o, now), { current: reconciled });
}

export interface PayOrderResult {
  order: GroupOrder;
  payment: PayParams | null;
}

/** 去支付 for a group order: the same order number every time, N × price, expiring with the payment window. */
export async function payOrder(deps: Deps, giverId: string, order: GroupOrder): Promise<PayOrderResult> {
  let current = order;
  if (isPaymentOverdue(current, iso(deps.clock.now()))) current = await cancelOverdueOrder(deps, current);
  assertOrderPayable(current, iso(deps.clock.now()));
  if (current.status !== 'awaiting_payment') return { order: current, payment: null };
  const found = await deps.catalog.findSku(current.skuId);
  if (!found) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');
  assertStockFor(found.sku, current.quantity);
  let prepared: Awaited<ReturnType<Deps['payments']['prepare']>>;
  try {
    prepared = await deps.payments.prepare(paymentOrderOf(current, giverId));
  } catch (e) {
    if (!(e instanceof PaymentRefusedError)) throw e;
    const now = await reconcileUnpaidOrder(deps, current);
    if (now.status !== 'awaiting_payment') return { order: now, payment: null };
    throw new AppError('GIFT_CANCELED', 'the payment window of this gift has closed', { cause: e });
  }
  if (prepared.kind === 'confirm') return { order: current, payment: prepared.payParams };
  const paid = await applyConfirmedOrderPayment(deps, current.id, prepared.payment, current);
  assertOrderPayable(paid, iso(deps.clock.now()));
  return { order: paid, payment: null };
}

/** The giver cancels an order not paid for; a payment the provider reports first makes it sent (GIFT_ALREADY_PAID). */
export async function cancelOrder(deps: Deps, giverId: string, order: GroupOrder): Promise<GroupOrder> {
  let current = order;
  try {
    current = await reconcileUnpaidOrder(deps, order);
  } catch (e) {
    if (!(e instanceof DependencyError)) throw e;
    deps.logger.warn({ giftId: order.id, err: e.message }, 'payment provider unavailable: canceled without asking');
  }
  return updateOrder(deps, order.id, (o, now) => cancelOrderByGiver(o, giverId, now), { current });
}
