/**
 * What each party may see of a gift. The giver's view never carries the recipient's address, name or phone;
 * the recipient's view never carries a price or amount. Tests check both by walking every key.
 */
import type { Product } from './catalog';
import { findEffect } from './effects';
import { swapAlternatives } from './eligibility';
import type { Effect, Gift, GiftStatus, RefundEffect } from './gift';
import { effectiveStatus } from './gift-transitions';
import type { GiftMode, GroupProgress, LotteryView } from './group-views';

export interface EffectProgress {
  status: Effect['status'];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  completedAt: string | null;
}

export const progress = (e: Effect | undefined): EffectProgress | null =>
  e
    ? {
        status: e.status,
        attempts: e.attempts,
        nextAttemptAt: e.status === 'pending' ? e.nextAttemptAt : null,
        lastError: e.lastError,
        completedAt: e.completedAt,
      }
    : null;

export function giverView(gift: Gift, now: string) {
  // The latest refund: a late payment's refund follows the cancel's (closed) one.
  const refund = gift.effects.findLast((e): e is RefundEffect => e.kind === 'refund');
  return {
    id: gift.id,
    status: effectiveStatus(gift, now),
    mode: 'single' as const,
    quantity: 1,
    amountFen: gift.priceFen,
    product: { id: gift.productId, title: gift.productTitle },
    sku: { id: gift.skuId, attrs: gift.skuAttrs },
    originalSkuId: gift.originalSkuId,
    priceFen: gift.priceFen,
    message: gift.message,
    giverName: gift.giverName ?? null,
    /** The recipient's thank-you note (the one thing from the recipient the giver reads). */
    thanks: gift.thanks ?? null,
    createdAt: gift.createdAt,
    paymentDueAt: gift.status === 'awaiting_payment' ? gift.paymentDueAt : null,
    paidAt: gift.payment?.paidAt ?? null,
    sentAt: gift.sentAt,
    expiresAt: gift.expiresAt,
    claimedAt: gift.claimedAt,
    acceptedAt: gift.acceptedAt,
    declinedAt: gift.declinedAt,
    expiredAt: gift.expiredAt,
    canceledAt: gift.canceledAt,
    /** Whether a friend has claimed it; who, and where it ships, stay private. */
    recipient: gift.recipientId === null ? null : { claimed: true as const, addressProvided: gift.address !== null },
    swaps: gift.swaps,
    handoff: progress(findEffect(gift, 'handoff')),
    shipment: gift.shipment ?? null,
    // `payment_closed`: the gift was canceled before anything was charged; no money moved, so amountFen is 0.
    // providerStatus: what the payment provider says of the refund (processing until the money is back; abnormal or
    // closed when it did not go through, and the refund is failed for an operator).
    refund: refund
      ? {
          ...progress(refund)!,
          reason: refund.reason,
          outcome: refund.outcome ?? null,
          providerStatus: refund.providerStatus ?? null,
          amountFen: refund.outcome === 'payment_closed' ? 0 : refund.amountFen,
        }
      : null,
    group: null,
  };
}
export type GiverView = Omit<ReturnType<typeof giverView>, 'mode' | 'group'> & { mode: GiftMode; group: GroupProgress | null };

export type ClaimViewer = 'recipient' | 'giver' | 'guest';

export function claimViewer(gift: Gift, callerId: string): ClaimViewer {
  if (callerId === gift.giverId) return 'giver';
  return gift.recipientId === callerId ? 'recipient' : 'guest';
}

/** The giver's choice of style, as it was when the gift was bought. */
function originalSku(gift: Gift, product: Product | null) {
  const attrs =
    gift.originalSkuAttrs ??
    product?.skus.find((s) => s.id === gift.originalSkuId)?.attrs ??
    (gift.originalSkuId === gift.skuId ? gift.skuAttrs : {});
  return { id: gift.originalSkuId, attrs };
}

/**
 * The gift card as opened from the claim link. A guest who is not the bound recipient sees only that the gift exists,
 * its state and the giver's original choice of style: not the message once someone claimed it, and never the
 * recipient's choices (a swap, the address, shipping).
 */
export function claimView(gift: Gift, product: Product | null, callerId: string, now: string) {
  const viewer = claimViewer(gift, callerId);
  const takenBySomeoneElse = viewer === 'guest' && gift.recipientId !== null;
  const status = effectiveStatus(gift, now);
  const alternatives =
    product && !takenBySomeoneElse && (status === 'sent' || status === 'claimed')
      ? swapAlternatives(product, gift.priceFen, gift.skuId).map((s) => ({ skuId: s.id, attrs: s.attrs, inStock: s.stock > 0 }))
      : [];
  return {
    id: gift.id,
    status,
    viewer,
    claimedBySomeoneElse: takenBySomeoneElse,
    product: { id: gift.productId, title: gift.productTitle },
    sku: viewer === 'guest' ? originalSku(gift, product) : { id: gift.skuId, attrs: gift.skuAttrs },
    alternatives,
    message: takenBySomeoneElse ? null : gift.message,
    giverName: gift.giverName ?? null,
    /** The recipient's own note; nobody else reads it here (the giver reads it on the gift's page). */
    thanks: viewer === 'recipient' ? (gift.thanks ?? null) : null,
    sentAt: gift.sentAt,
    expiresAt: gift.expiresAt,
    claimedAt: viewer === 'guest' ? null : gift.claimedAt,
    acceptedAt: viewer === 'guest' ? null : gift.acceptedAt,
    address: viewer === 'recipient' ? gift.address : null,
    swaps: viewer === 'recipient' ? gift.swaps : [],
    shipment: viewer === 'recipient' ? (gift.shipment ?? null) : null,
    mode: 'single' as const,
    quantity: 1,
    unitsTaken: gift.recipientId === null ? 0 : 1,
    unit: null,
    lottery: null,
  };
}
export type ClaimView = Omit<ReturnType<typeof claimView>, 'mode' | 'unit' | 'lottery' | 'status' | 'viewer'> & {
  status: GiftStatus;
  viewer: ClaimViewer;
  mode: GiftMode;
  unit: { unitNo: number } | null;
  lottery: LotteryView | null;
};

/** A gift in the recipient's "received" list. */
export function receivedView(gift: Gift, now: string) {
  return {
    id: gift.id,
    status: effectiveStatus(gift, now),
    product: { id: gift.productId, title: gift.productTitle },
    sku: { id: gift.skuId, attrs: gift.skuAttrs },
    message: gift.message,
    giverName: gift.giverName ?? null,
    expiresAt: gift.expiresAt,
    claimedAt: gift.claimedAt,
    acceptedAt: gift.acceptedAt,
    address: gift.address,
    shipment: gift.shipment ?? null,
    thanks: gift.thanks ?? null,
  };
}
export type ReceivedView = ReturnType<typeof receivedView>;

/**
 * What anyone holding the link may learn without signing in (a chat preview, a friend's first look): who sends it,
 * what it is, and whether it still waits to be claimed. Never the message, a price, a style, the recipient or dates.
 */
export function previewView(gift: Gift, now: string) {
  return {
    giverName: gift.giverName ?? null,
    product: { title: gift.productTitle },
    open: effectiveStatus(gift, now) === 'sent',
  };
}
export type PreviewView = ReturnType<typeof previewView>;
