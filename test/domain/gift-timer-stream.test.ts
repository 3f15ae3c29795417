/**
 * giftTimer where a change stream delivers first attempts (AWS: streamFirstDelivery): a first attempt awaiting the
 * stream keeps out of the entry's sort key when the gift waits for something else anyway, so neither the write that
 * records it nor the stream's settling write moves the entry; alone, it keeps its instant (the safety net finds it).
 */
import { describe, expect, it } from 'vitest';
import { beginAttempt, completeAttempt, failAttempt } from '../../shared/domain/effects';
import type { Gift } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY, type DispatchPolicy } from '../../shared/domain/gift-policy';
import { accept, claim } from '../../shared/domain/gift-transitions';
import { addSeconds } from '../../shared/domain/time';
import { giftTimer } from '../../shared/domain/timers';
import { addressedGift, RECIPIENT, sentGift, T0 } from '../support/memory-deps';

const POLICY: DispatchPolicy = { baseDelaySeconds: 5, maxDelaySeconds: 3_600, maxAttempts: 3, leaseSeconds: 60, refundConfirmSeconds: 60 };
const STREAM = { streamFirstDelivery: true };
const T1 = addSeconds(T0, 600);
/** The stream's settle of one first attempt: counted and done in one write. */
const delivered = (g: Gift, id: string, now: string): Gift => ({
  ...completeAttempt(beginAttempt(g, id, now, POLICY), id, now, { receipt: null }),
  version: g.version + 1,
  updatedAt: now,
});

describe('giftTimer with the stream delivering first attempts', () => {
  const sent = sentGift();
  const claimed = claim(sent, RECIPIENT, T1, DEFAULT_GIFT_POLICY);
  const reminderAt = claimed.effects.find((e) => e.id === 'notify:gift_expiring')!.nextAttemptAt;

  it("the claim's notice beside the reminder: the entry waits for the reminder before and after the stream's settle", () => {
    expect(giftTimer(claimed)).toEqual({ at: T1, kinds: ['sweep', 'notify'] }); // without the stream: pulled to now
    const before = giftTimer(claimed, STREAM);
    expect(before).toEqual({ at: reminderAt, kinds: ['sweep', 'notify'] });
    expect(giftTimer(delivered(claimed, 'notify:gift_claimed', addSeconds(T1, 1)), STREAM)).toEqual(before);
  });

  it('a failed first delivery is an ordinary retry: its backoff moves the entry', () => {
    const now = addSeconds(T1, 1);
    const failed = { ...failAttempt(beginAttempt(claimed, 'notify:gift_claimed', now, POLICY), 'notify:gift_claimed', 'x', now, POLICY) };
    expect(giftTimer(failed, STREAM)).toEqual({ at: addSeconds(now, 5), kinds: ['sweep', 'notify'] });
  });

  it('alone (an accepted gift waits for nothing else), first attempts keep their instant', () => {
    const accepted = accept(addressedGift(), RECIPIENT, T0);
    expect(giftTimer(accepted, STREAM)).toEqual(giftTimer(accepted));
    expect(giftTimer(accepted, STREAM)?.at).toBe(T0);
  });
});
