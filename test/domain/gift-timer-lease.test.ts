/**
 * giftTimer while a first attempt is under lease: the entry stays where it was (no index key change on DynamoDB),
 * which is safe because it is earlier than anything due; any other wait moves it.
 */
import { describe, expect, it } from 'vitest';
import { awaitRefund, beginAttempt, completeAttempt, dueEffects, failAttempt, refundEffect } from '../../shared/domain/effects';
import type { Gift } from '../../shared/domain/gift';
import type { DispatchPolicy } from '../../shared/domain/gift-policy';
import { accept } from '../../shared/domain/gift-transitions';
import { addSeconds } from '../../shared/domain/time';
import { giftTimer } from '../../shared/domain/timers';
import { addressedGift, RECIPIENT, T0 } from '../support/memory-deps';

const POLICY: DispatchPolicy = { baseDelaySeconds: 5, maxDelaySeconds: 3_600, maxAttempts: 3, leaseSeconds: 60, refundConfirmSeconds: 60 };
const T1 = addSeconds(T0, 10);

describe('giftTimer under a lease', () => {
  const accepted: Gift = accept(addressedGift(), RECIPIENT, T0);

  it('keeps the entry at the instant the effect was first due while its first attempt is leased', () => {
    expect(giftTimer(accepted)).toEqual({ at: T0, kinds: ['notify', 'handoff'] });
    const leased = beginAttempt(accepted, 'handoff', T1, POLICY);
    expect(leased.effects.find((e) => e.id === 'handoff')!.nextAttemptAt).toBe(addSeconds(T1, 60));
    expect(giftTimer(leased)).toEqual({ at: T0, kinds: ['notify', 'handoff'] });
    // Found by a job meanwhile, the document says nothing is due: the job does nothing.
    expect(dueEffects(leased, 'handoff', addSeconds(T1, 30))).toEqual([]);
    // A crashed lease: once it ends, the effect is due again and the entry was there all along.
    expect(dueEffects(leased, 'handoff', addSeconds(T1, 60)).map((e) => e.id)).toEqual(['handoff']);
  });

  it('moves the entry for a backoff after a failure, and for a second lease', () => {
    const notices = accepted.effects.filter((e) => e.kind === 'notify' && e.status === 'pending').map((e) => e.id);
    const settledNotice = notices.reduce((g, id) => completeAttempt(beginAttempt(g, id, T0, POLICY), id, T0, { receipt: null }), accepted);
    const failed = failAttempt(beginAttempt(settledNotice, 'handoff', T1, POLICY), 'handoff', 'timeout', T1, POLICY);
    expect(giftTimer(failed)).toEqual({ at: addSeconds(T1, 5), kinds: ['handoff'] });
    const again = beginAttempt(failed, 'handoff', addSeconds(T1, 5), POLICY);
    expect(giftTimer(again)).toEqual({ at: addSeconds(T1, 65), kinds: ['handoff'] });
  });

  it('moves the entry of a refund waiting for its outcome (PROCESSING)', () => {
    const expired: Gift = { ...accepted, status: 'expired', effects: [refundEffect(accepted, 'expired', T0)] };
    const processing = awaitRefund(beginAttempt(expired, 'refund', T1, POLICY), 'refund', T1, POLICY, 'r1');
    expect(giftTimer(processing)).toEqual({ at: addSeconds(T1, 60), kinds: ['refund'] });
  });
});
