import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { orderNoOf } from '../domain/payment-numbers';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { type PaymentOrder, PaymentRefusedError, type PayParams } from '../ports/payments';

/**
 * The payment order of a gift or group order: the same number and terms on every call, so the provider answers for
 * one order however often it is opened (POST /gifts, then each 重新支付). A group order charges quantity × price once.
 */
export function paymentOrderOf(doc: GiftDocument, giverId: string): PaymentOrder {
  const group = isGroupOrder(doc);
  return {
    orderNo: orderNoOf(doc.id),
    giftId: doc.id,
    payerId: giverId,
    amountFen: group ? doc.amountFen : doc.priceFen,
    description: group ? `礼物 ${doc.productTitle} × ${doc.quantity}` : `礼物 ${doc.productTitle}`,
    expiresAt: doc.paymentDueAt,
  };
}

/**
 * The order of a gift just created, opened with it when the provider's prepare takes no money (WeChat Pay: the giver
 * still confirms in the wallet), so 支付 needs no second request: `POST /gifts` answers wx.requestPayment's arguments.
 * It is the order POST /gifts/:id/pay reopens. When opening fails (an outage; a replayed create whose style sold out
 * or whose payment window closed) the gift stands all the same and this answers null: the page opens it by /pay,
 * which says why if it still cannot.
 */
export async function openPaymentAtCreate(
  deps: Deps,
  giverId: string,
  doc: GiftDocument,
  opts: { replayed: boolean },
): Promise<PayParams | null> {
  if (deps.payments.chargesOnPrepare || doc.status !== 'awaiting_payment') return null;
  try {
    if (opts.replayed) {
      // The create checked the stock moments ago; a replay may come much later.
      const found = await deps.catalog.findSku(doc.skuId);
      if (!found || found.sku.stock < (isGroupOrder(doc) ? doc.quantity : 1)) return null;
    }
    const prepared = await deps.payments.prepare(paymentOrderOf(doc, giverId));
    return prepared.kind === 'confirm' ? prepared.payParams : null;
  } catch (e) {
    if (!(e instanceof DependencyError || e instanceof PaymentRefusedError)) throw e;
    deps.logger.warn({ giftId: doc.id, err: e.message }, 'payment order not opened with the gift: /pay opens it');
    return null;
  }
}
