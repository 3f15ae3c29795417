/** The recipient's reminder and the refund's provider phases, as pure transitions of one gift document. */
import { describe, expect, it } from 'vitest';
import { awaitRefund, beginAttempt, completeAttempt, EXPIRY_REMINDER_ID, failFinally } from '../../shared/domain/effects';
import type { Gift, RefundEffect } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY, type DispatchPolicy } from '../../shared/domain/gift-policy';
import { accept, claim, decline, sweep } from '../../shared/domain/gift-transitions';
import { addressedGift, at, RECIPIENT, sentGift, T0, unpaidGift } from '../support/memory-deps';

const TTL = DEFAULT_GIFT_POLICY.giftTtlSeconds;
const BEFORE = DEFAULT_GIFT_POLICY.reminderBeforeExpirySeconds;
const POLICY: DispatchPolicy = { baseDelaySeconds: 5, maxDelaySeconds: 3_600, maxAttempts: 3, leaseSeconds: 60, refundConfirmSeconds: 60 };
const reminderOf = (g: Gift) => g.effects.find((e) => e.id === EXPIRY_REMINDER_ID);
const refundOf = (g: Gift) => g.effects.find((e): e is RefundEffect => e.kind === 'refund')!;

describe('the recipient’s reminder', () => {
  it('is recorded by the claim, to the recipient, due reminderBeforeExpirySeconds before the expiry', () => {
    const claimed = claim(sentGift(), RECIPIENT, at(60), DEFAULT_GIFT_POLICY);
    expect(reminderOf(claimed)).toMatchObject({ kind: 'notify', event: 'gift_expiring', userId: RECIPIENT, status: 'pending' });
    expect(reminderOf(claimed)!.nextAttemptAt).toBe(at(TTL - BEFORE));
  });

  it('is due at once when the gift is claimed inside the reminder window, and never twice', () => {
    const late = claim(sentGift(), RECIPIENT, at(TTL - 60), DEFAULT_GIFT_POLICY);
    expect(reminderOf(late)!.nextAttemptAt).toBe(at(TTL - 60));
    expect(claim(late, RECIPIENT, at(TTL - 30), DEFAULT_GIFT_POLICY)).toBe(late); // a repeated claim changes nothing
    expect(late.effects.filter((e) => e.id === EXPIRY_REMINDER_ID)).toHaveLength(1);
  });

  it('is canceled by the write that accepts, declines or expires the gift, but not once it went out', () => {
    const addressed = addressedGift(at(60));
    expect(reminderOf(accept(addressed, RECIPIENT, at(120)))).toMatchObject({ status: 'canceled', completedAt: at(120) });
    expect(reminderOf(decline(addressed, RECIPIENT, at(120)))).toMatchObject({ status: 'canceled' });
    expect(reminderOf(sweep(addressed, at(TTL + 60)))).toMatchObject({ status: 'canceled' });
    const reminded = completeAttempt(addressed, EXPIRY_REMINDER_ID, at(TTL - BEFORE), { receipt: 'msg_1' });
    expect(reminderOf(accept(reminded, RECIPIENT, at(TTL - 60)))).toMatchObject({ status: 'done', receipt: 'msg_1' });
  });
});

describe('a refund through the provider’s phases', () => {
  const declined = () => decline(addressedGift(at(60)), RECIPIENT, at(120));

  it('waits while the provider processes: no error, asked again after 1, 2, 4 … minutes, capped', () => {
    let g = declined();
    const waits: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const now = at(200 * i);
      g = awaitRefund(beginAttempt(g, 'refund', now, POLICY), 'refund', now, POLICY, 'r_1');
      waits.push((Date.parse(refundOf(g).nextAttemptAt) - Date.parse(now)) / 1000);
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1_920, 3_600, 3_600]);
    expect(refundOf(g)).toMatchObject({ status: 'pending', providerStatus: 'processing', lastError: null, receipt: 'r_1' });
  });

  it('settles as refunded with the provider’s word and records one refund notice for the giver', () => {
    const processing = awaitRefund(beginAttempt(declined(), 'refund', at(200), POLICY), 'refund', at(200), POLICY, 'r_1');
    const done = completeAttempt(processing, 'refund', at(300), { receipt: 'r_1', refundOutcome: 'refunded' });
    expect(refundOf(done)).toMatchObject({ status: 'done', outcome: 'refunded', providerStatus: 'succeeded' });
    const notices = done.effects.filter((e) => e.kind === 'notify' && e.event === 'gift_refunded');
    expect(notices).toHaveLength(1);
    // Settled twice (notification and query racing): still one notice.
    const again = completeAttempt(done, 'refund', at(301), { receipt: 'r_1', refundOutcome: 'refunded' });
    expect(again.effects.filter((e) => e.kind === 'notify' && e.event === 'gift_refunded')).toHaveLength(1);
  });

  it('fails for good on ABNORMAL or CLOSED, keeping the provider’s word for an operator, with no refund notice', () => {
    const failed = failFinally(declined(), 'refund', 'refund ABNORMAL at the payment provider', at(300), 'abnormal');
    expect(refundOf(failed)).toMatchObject({
      status: 'failed',
      providerStatus: 'abnormal',
      lastError: expect.stringContaining('ABNORMAL'),
    });
    expect(failed.effects.some((e) => e.kind === 'notify' && e.event === 'gift_refunded')).toBe(false);
  });

  it('closes an unpaid order without a refund notice (nothing was charged)', () => {
    const canceled = sweep(unpaidGift(T0), at(DEFAULT_GIFT_POLICY.paymentTtlSeconds + 1));
    expect(canceled.status).toBe('canceled');
    expect(refundOf(canceled)).toMatchObject({ paymentId: null, reason: 'canceled' });
    const closed = completeAttempt(canceled, 'refund', at(DEFAULT_GIFT_POLICY.paymentTtlSeconds + 2), {
      receipt: null,
      refundOutcome: 'payment_closed',
    });
    expect(refundOf(closed)).toMatchObject({ status: 'done', outcome: 'payment_closed' });
    expect(closed.effects.some((e) => e.kind === 'notify' && e.event === 'gift_refunded')).toBe(false);
  });
});
