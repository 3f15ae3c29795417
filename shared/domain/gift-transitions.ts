/**
 * The gift state machine as pure functions: each takes the current document and returns the next one
 * (version + 1, with any side effects recorded in it), returns the same object when the command is an
 * idempotent repeat, or throws an AppError. No I/O here: use cases load, call these, and compare-and-set.
 *
 *   awaiting_payment --paid--> sent --claim--> claimed --accept--> accepted   (handoff)
 *          |                    |                 |----decline--> declined   (refund)
 *          |                    +------expire-----+-----expire--> expired    (refund)
 *          +---payment window over, or the giver cancels---> canceled (close the order; refund if it was paid after all)
 *
 *   accepted --the recipient thanks (once)--> accepted, with `thanks` (the giver is told)
 *
 * `paid` is a payment the provider confirmed (a verified notification, or a query), never the client's word.
 */

/** A claim link as stored: the hash of its token and the version it was derived from. */
export interface ClaimLink {
  hash: string;
  version: number;
}

import type { Product, Sku } from './catalog';
import {
  addEffects,
  expiryReminderEffect,
  handoffEffect,
  notifyGiverEffect,
  refundEffect,
  setRefundPayment,
  withEffects,
  withoutPendingReminder,
} from './effects';
import { AppError } from './errors';
import type { Address, Gift, Payment, RefundEffect, Thanks } from './gift';
import type { GiftPolicy } from './gift-policy';
import { addSeconds, isAtOrAfter } from './time';

export interface NewGiftInput {
  id: string;
  giverId: string;
  /** The giver's display name now (kept on the gift as it is); none: null. */
  giverName?: string | null;
  product: Product;
  sku: Sku;
  message: string | null;
  idempotency: Gift['idempotency'];
}

export function newGift(input: NewGiftInput, now: string, policy: GiftPolicy): Gift {
  return {
    id: input.id,
    version: 1,
    giverId: input.giverId,
    giverName: input.giverName ?? null,
    productId: input.product.id,
    productTitle: input.product.title,
    category: input.product.category,
    skuId: input.sku.id,
    skuAttrs: input.sku.attrs,
    originalSkuId: input.sku.id,
    originalSkuAttrs: input.sku.attrs,
    priceFen: input.sku.priceFen,
    message: input.message,
    status: 'awaiting_payment',
    createdAt: now,
    updatedAt: now,
    paymentDueAt: addSeconds(now, policy.paymentTtlSeconds),
    payment: null,
    claimTokenHash: null,
    sentAt: null,
    expiresAt: null,
    recipientId: null,
    claimedAt: null,
    address: null,
    swaps: [],
    acceptedAt: null,
    declinedAt: null,
    expiredAt: null,
    canceledAt: null,
    effects: [],
    idempotency: input.idempotency,
    // Set when paid; present from the start (undefined, which JSON leaves out) so every gift has nextVersion's keys.
    linkVersion: undefined,
  };
}

/** Keys some gifts carry besides newGift's, added by later transitions; nextVersion copies them when present. */
const LATER_KEYS = ['thanks', 'shipment', 'merchantEventIds'] as const;
const NEW_GIFT_KEYS = 32;

/**
 * The next version of a gift (version + 1, written at `now`), a fresh object each transition then sets its changes on.
 * One literal of every key rather than `{ ...gift }`: V8 copies a spread through an inline cache that turns slow for
 * good once it has met a few hidden classes (a deprecated one is enough); from then on every copy gets a hidden class of
 * its own and costs ~1 µs (20× the literal), and so do copies of such copies, down the whole lifecycle. A gift with
 * other keys than these (a document from another version) is copied whole by a spread.
 */
export function nextVersion(gift: Gift, now: string): Gift {
  if (!hasNewGiftKeys(gift)) return { ...gift, version: gift.version + 1, updatedAt: now };
  const next: Gift = {
    id: gift.id,
    version: gift.version + 1,
    giverId: gift.giverId,
    giverName: gift.giverName,
    productId: gift.productId,
    productTitle: gift.productTitle,
    category: gift.category,
    skuId: gift.skuId,
    skuAttrs: gift.skuAttrs,
    originalSkuId: gift.originalSkuId,
    originalSkuAttrs: gift.originalSkuAttrs,
    priceFen: gift.priceFen,
    message: gift.message,
    status: gift.status,
    createdAt: gift.createdAt,
    updatedAt: now,
    paymentDueAt: gift.paymentDueAt,
    payment: gift.payment,
    claimTokenHash: gift.claimTokenHash,
    sentAt: gift.sentAt,
    expiresAt: gift.expiresAt,
    recipientId: gift.recipientId,
    claimedAt: gift.claimedAt,
    address: gift.address,
    swaps: gift.swaps,
    acceptedAt: gift.acceptedAt,
    declinedAt: gift.declinedAt,
    expiredAt: gift.expiredAt,
    canceledAt: gift.canceledAt,
    effects: gift.effects,
    idempotency: gift.idempotency,
    linkVersion: gift.linkVersion,
  };
  for (const key of LATER_KEYS) if (key in gift) (next as unknown as Record<string, unknown>)[key] = gift[key];
  return next;
}

/** Whether the gift has newGift's keys (those that may be absent from older documents among them) and only later ones. */
function hasNewGiftKeys(gift: Gift): boolean {
  if (!('giverName' in gift && 'originalSkuAttrs' in gift && 'linkVersion' in gift)) return false;
  let keys = 0;
  for (const _ in gift) keys++;
  let known = NEW_GIFT_KEYS;
  for (const key of LATER_KEYS) if (key in gift) known++;
  return keys === known;
}

/** The instant after which the cleanup acts on this gift, or null once it is terminal. */
export function sweepDeadline(gift: Gift): string | null {
  if (gift.status === 'awaiting_payment') return gift.paymentDueAt;
  if (gift.status === 'sent' || gift.status === 'claimed') return gift.expiresAt;
  return null;
}

/** True when the cleanup would act on this gift at `now` (it may not have run yet). */
export function isOverdue(gift: Gift, now: string): boolean {
  const deadline = sweepDeadline(gift);
  return deadline !== null && isAtOrAfter(now, deadline);
}

/** Status as a reader should see it: an overdue gift reads as expired/canceled even before the sweep writes it. */
export function effectiveStatus(gift: Gift, now: string): Gift['status'] {
  if (!isOverdue(gift, now)) return gift.status;
  return gift.status === 'awaiting_payment' ? 'canceled' : 'expired';
}

/**
 * Cleanup: expire an unaccepted gift (refund; the giver is told once it is back) or cancel an unpaid one (its order
 * is closed, and refunded should the provider say it was paid after all). Callers ask the provider about an unpaid
 * gift's order first: a payment whose notification is late makes the gift sent, not canceled.
 */
export function sweep(gift: Gift, now: string): Gift {
  if (!isOverdue(gift, now)) return gift;
  if (gift.status === 'awaiting_payment') return cancelUnpaid(gift, now);
  return Object.assign(nextVersion(gift, now), {
    status: 'expired',
    expiredAt: now,
    effects: addEffects(withoutPendingReminder(gift.effects, now), [refundEffect(gift, 'expired', now)]),
  });
}

/** An unpaid gift canceled: its order is closed by the recorded refund, which refunds a payment that raced the cancel. */
function cancelUnpaid(gift: Gift, now: string): Gift {
  return Object.assign(nextVersion(gift, now), {
    status: 'canceled',
    canceledAt: now,
    effects: withEffects(gift, refundEffect(gift, 'canceled', now)),
  });
}

/**
 * The giver cancels a gift not paid for: the same write as the cleanup's cancel (the order is closed, and a payment
 * that lands meanwhile is refunded). A canceled gift stays as it is (a repeat); a gift paid for cannot be canceled.
 * Callers ask the provider about the order first, so a payment whose notification is late answers GIFT_ALREADY_PAID.
 */
export function cancelByGiver(gift: Gift, callerId: string, now: string): Gift {
  if (callerId !== gift.giverId) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (gift.status === 'canceled') return gift;
  if (gift.status !== 'awaiting_payment') throw new AppError('GIFT_ALREADY_PAID', 'the gift was paid for and can no longer be canceled');
  return cancelUnpaid(gift, now);
}

export function assertPayable(gift: Gift, now: string): void {
  if (gift.status === 'canceled' || (gift.status === 'awaiting_payment' && isOverdue(gift, now))) {
    throw new AppError('GIFT_CANCELED', 'the payment window of this gift has closed');
  }
}

/**
 * Applies a payment the provider confirmed. An unpaid gift is sent, whatever the time: the provider takes no money
 * after the order's time_expire, so a late notification or query still reports a payment made in time. A gift
 * canceled meanwhile keeps the payment and refunds it (the cancel's pending refund learns what to refund, or a new
 * refund is recorded when the order had already been reported closed). A payment already recorded changes nothing:
 * replayed notifications and queries after a notification are no-ops.
 */
export function confirmPayment(gift: Gift, payment: Payment, link: ClaimLink, now: string, policy: GiftPolicy): Gift {
  if (gift.payment) return gift;
  if (gift.status === 'awaiting_payment') {
    return Object.assign(nextVersion(gift, now), {
      status: 'sent',
      payment,
      claimTokenHash: link.hash,
      linkVersion: link.version,
      sentAt: now,
      expiresAt: addSeconds(now, policy.giftTtlSeconds),
    });
  }
  return gift.status === 'canceled' ? refundLatePayment(gift, payment, now) : gift;
}

/**
 * Money that arrived for a canceled gift goes back: the cancel's pending refund learns what to refund, or, when the
 * order had already been reported closed, a refund of its own is recorded. Records the payment on the gift.
 */
export function refundLatePayment(gift: Gift, payment: Payment, now: string): Gift {
  if (gift.payment) return gift;
  const refund = gift.effects.find((e): e is RefundEffect => e.kind === 'refund' && e.paymentId === null);
  if (refund?.status === 'pending') {
    return Object.assign(nextVersion(gift, now), {
      payment,
      effects: setRefundPayment(gift, refund.id, payment.paymentId, payment.amountFen).effects,
    });
  }
  // Already refunded under the cancel's refund number: its REFUND notification came before the payment was learnt (the
  // process died between the refund and recording it). Record the payment; a second refund would be refused as too much.
  if (refund?.status === 'done' && refund.outcome === 'refunded') {
    const effects = gift.effects.map((e) => (e === refund ? { ...refund, paymentId: payment.paymentId } : e));
    return Object.assign(nextVersion(gift, now), { payment, effects });
  }
  const late = Object.assign(refundEffect({ ...gift, payment }, 'canceled', now), {
    id: 'refund-late-payment',
    idempotencyKey: `songli:${gift.id}:refund-late-payment`,
  });
  return Object.assign(nextVersion(gift, now), { payment, effects: withEffects(gift, late) });
}

/** The giver replaces a lost (or leaked) claim link; only before anyone claimed it. */
export function rotateClaimToken(gift: Gift, link: ClaimLink, now: string): Gift {
  if (gift.status === 'awaiting_payment') throw new AppError('GIFT_NOT_PAID', 'pay for the gift before sharing it');
  assertOpen(gift, now);
  if (gift.status !== 'sent') throw new AppError('ALREADY_CLAIMED', 'the gift was already claimed; its link can no longer change');
  return Object.assign(nextVersion(gift, now), { claimTokenHash: link.hash, linkVersion: link.version });
}

/** The version the next link of this gift is derived from. */
export const nextLinkVersion = (gift: Gift): number => (gift.linkVersion ?? 0) + 1;

/** Throws the error that explains why a closed gift cannot be acted on. */
function assertOpen(gift: Gift, now: string): void {
  if (gift.status === 'expired' || isOverdue(gift, now))
    throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
  if (gift.status === 'declined') throw new AppError('GIFT_DECLINED', 'the gift was declined');
  if (gift.status === 'canceled') throw new AppError('GIFT_CANCELED', 'the gift was canceled');
}

export function claim(gift: Gift, callerId: string, now: string, policy: Pick<GiftPolicy, 'reminderBeforeExpirySeconds'>): Gift {
  if (gift.status === 'awaiting_payment' || gift.status === 'canceled') throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (callerId === gift.giverId) throw new AppError('CANNOT_CLAIM_OWN_GIFT', 'you cannot claim a gift you sent');
  if (gift.recipientId !== null && gift.recipientId !== callerId)
    throw new AppError('ALREADY_CLAIMED', 'someone else has already claimed this gift');
  if (gift.status === 'accepted') return gift;
  assertOpen(gift, now);
  if (gift.status === 'claimed') return gift;
  const reminder = expiryReminderEffect(gift, callerId, policy.reminderBeforeExpirySeconds, now);
  return Object.assign(nextVersion(gift, now), {
    status: 'claimed',
    recipientId: callerId,
    claimedAt: now,
    effects: withEffects(gift, notifyGiverEffect(gift, 'gift_claimed', now), ...(reminder ? [reminder] : [])),
  });
}

/** Recipient-only commands need the gift bound to the caller and not yet accepted. */
function assertRecipientCanChange(gift: Gift, callerId: string, now: string): void {
  if (gift.status === 'awaiting_payment') throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (gift.recipientId !== callerId) throw new AppError('NOT_RECIPIENT', 'only the recipient who claimed this gift may do this');
  if (gift.status === 'accepted') throw new AppError('ALREADY_ACCEPTED', 'the gift was already accepted and can no longer change');
  assertOpen(gift, now);
}

export function setAddress(gift: Gift, callerId: string, address: Address, now: string): Gift {
  assertRecipientCanChange(gift, callerId, now);
  return Object.assign(nextVersion(gift, now), { address });
}

export interface SwapTarget {
  product: Product;
  sku: Sku;
}

export function swapVariant(gift: Gift, callerId: string, target: SwapTarget, now: string): Gift {
  assertRecipientCanChange(gift, callerId, now);
  if (target.sku.id === gift.skuId) return gift;
  if (target.product.id !== gift.productId)
    throw new AppError('VARIANT_NOT_SAME_PRODUCT', 'you can only switch to another style of the same product');
  if (target.sku.priceFen !== gift.priceFen)
    throw new AppError('VARIANT_NOT_SAME_PRICE', 'you can only switch to a style of the same price');
  if (target.sku.stock <= 0) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');
  return Object.assign(nextVersion(gift, now), {
    skuId: target.sku.id,
    skuAttrs: target.sku.attrs,
    swaps: [...gift.swaps, { fromSkuId: gift.skuId, toSkuId: target.sku.id, at: now }],
  });
}

export function accept(gift: Gift, callerId: string, now: string): Gift {
  if (gift.status === 'accepted' && gift.recipientId === callerId) return gift;
  assertRecipientCanChange(gift, callerId, now);
  if (gift.address === null) throw new AppError('ADDRESS_REQUIRED', 'enter a shipping address before accepting the gift');
  return accepted(gift, gift.address, now);
}

/** The accepted gift: the handoff and the giver's notice recorded beside the address it ships to, the reminder canceled. */
const accepted = (gift: Gift, address: Address, now: string): Gift =>
  Object.assign(nextVersion(gift, now), {
    address,
    status: 'accepted' as const,
    acceptedAt: now,
    effects: addEffects(withoutPendingReminder(gift.effects, now), [
      handoffEffect(gift, now),
      notifyGiverEffect(gift, 'gift_accepted', now),
    ]),
  });

// Every field of Address (tsc refuses the record if one is missing), so sameAddress cannot skip a new one.
const ADDRESS_FIELDS = /* @__PURE__ */ Object.keys({
  name: 1,
  phone: 1,
  regionCode: 1,
  province: 1,
  city: 1,
  district: 1,
  detail: 1,
} satisfies Record<keyof Address, 1>) as (keyof Address)[];

/** Two addresses are the same when every field is (a retry sends the very address its lost answer had stored). */
export const sameAddress = (a: Address | null, b: Address): boolean => a !== null && ADDRESS_FIELDS.every((k) => a[k] === b[k]);

/**
 * 收下礼物 with the address typed on the form, as one write: setAddress's rules, then accept's, composed (one version,
 * the handoff recorded beside the address it ships to). A repeat of an accept that stored this very address answers
 * the gift as it is (a retry whose answer was lost); another address on an accepted gift is ALREADY_ACCEPTED, as
 * setAddress says.
 */
export function acceptWithAddress(gift: Gift, callerId: string, address: Address, now: string): Gift {
  if (gift.status === 'accepted' && gift.recipientId === callerId && sameAddress(gift.address, address)) return gift;
  // setAddress's rules; accept's are the same ones once the address is set (one copy of the gift, not four).
  assertRecipientCanChange(gift, callerId, now);
  return accepted(gift, address, now);
}

export function decline(gift: Gift, callerId: string, now: string): Gift {
  if (gift.status === 'declined' && gift.recipientId === callerId) return gift;
  assertRecipientCanChange(gift, callerId, now);
  return Object.assign(nextVersion(gift, now), {
    status: 'declined',
    declinedAt: now,
    effects: addEffects(withoutPendingReminder(gift.effects, now), [refundEffect(gift, 'declined', now)]),
  });
}

/**
 * The recipient's one thank-you note, once the gift is accepted; the giver is told in the same write. Sending the same
 * text again is a repeat (a retry whose answer was lost); a different text is refused: there is one note per gift.
 */
export function sendThanks(gift: Gift, callerId: string, message: string, now: string): Gift {
  if (gift.status === 'awaiting_payment' || gift.status === 'canceled') throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (gift.recipientId !== callerId) throw new AppError('NOT_RECIPIENT', 'only the recipient who claimed this gift may do this');
  if (gift.status !== 'accepted') throw new AppError('GIFT_NOT_ACCEPTED', 'accept the gift before sending thanks');
  if (gift.thanks) {
    if (gift.thanks.message === message) return gift;
    throw new AppError('THANKS_ALREADY_SENT', 'a thank-you note was already sent for this gift');
  }
  const thanks: Thanks = { message, sentAt: now };
  return Object.assign(nextVersion(gift, now), {
    thanks,
    effects: withEffects(gift, notifyGiverEffect(gift, 'gift_thanked', now)),
  });
}
