import { describe, expect, it } from 'vitest';
import {
  awaitsFirstDelivery,
  backoffSeconds,
  beginAttempt,
  completeAttempt,
  dueEffects,
  effectDueAt,
  effectIdempotencyKey,
  expiryReminderEffect,
  failAttempt,
  handoffEffect,
  notifyGiverEffect,
  refundEffect,
  withEffects,
} from '../../shared/domain/effects';
import type { Gift } from '../../shared/domain/gift';
import type { DispatchPolicy } from '../../shared/domain/gift-policy';
import { accept } from '../../shared/domain/gift-transitions';
import { addressedGift, at, GIFT_ID, RECIPIENT, T0 } from '../support/memory-deps';

const POLICY: DispatchPolicy = { baseDelaySeconds: 5, maxDelaySeconds: 3_600, maxAttempts: 3, leaseSeconds: 60, refundConfirmSeconds: 60 };

const acceptedAtT0 = (): Gift => accept(addressedGift(), RECIPIENT, T0);
const handoffOf = (g: Gift) => g.effects.find((e) => e.id === 'handoff')!;

describe('backoffSeconds', () => {
  it('doubles from the base delay: 5, 10, 20, 40, 80', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(n, POLICY))).toEqual([5, 10, 20, 40, 80]);
  });

  it('is capped at maxDelaySeconds', () => {
    expect(backoffSeconds(10, POLICY)).toBe(2_560);
    expect(backoffSeconds(11, POLICY)).toBe(3_600);
    expect(backoffSeconds(50, POLICY)).toBe(3_600);
  });

  it('treats attempt 0 like attempt 1', () => {
    expect(backoffSeconds(0, POLICY)).toBe(5);
  });
});

describe('attempt lifecycle', () => {
  it('beginAttempt counts the attempt, leases the effect and bumps the version', () => {
    const g = acceptedAtT0();
    const started = beginAttempt(g, 'handoff', at(1), POLICY);
    expect(started.version).toBe(g.version + 1);
    expect(handoffOf(started)).toMatchObject({ attempts: 1, status: 'pending', nextAttemptAt: at(61) });
    expect(dueEffects(started, 'handoff', at(60))).toEqual([]);
    expect(dueEffects(started, 'handoff', at(61)).map((e) => e.id)).toEqual(['handoff']);
  });

  it('completeAttempt marks it done with the receipt and the completion time', () => {
    const done = completeAttempt(beginAttempt(acceptedAtT0(), 'handoff', at(1), POLICY), 'handoff', at(2), { receipt: 'ref-1' });
    expect(handoffOf(done)).toMatchObject({ status: 'done', attempts: 1, completedAt: at(2), receipt: 'ref-1', lastError: null });
    expect(effectDueAt(done, 'handoff')).toBeNull();
  });

  it('failAttempt keeps it pending, records lastError and schedules after the backoff', () => {
    const failed = failAttempt(beginAttempt(acceptedAtT0(), 'handoff', at(1), POLICY), 'handoff', 'Error: boom', at(2), POLICY);
    expect(handoffOf(failed)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: boom', nextAttemptAt: at(7) });
    expect(effectDueAt(failed, 'handoff')).toBe(at(7));
  });

  it('the second failure waits twice as long', () => {
    let g = acceptedAtT0();
    g = failAttempt(beginAttempt(g, 'handoff', at(0), POLICY), 'handoff', 'e1', at(0), POLICY);
    g = failAttempt(beginAttempt(g, 'handoff', at(5), POLICY), 'handoff', 'e2', at(5), POLICY);
    expect(handoffOf(g)).toMatchObject({ attempts: 2, status: 'pending', nextAttemptAt: at(15), lastError: 'e2' });
  });

  it("failAttempt marks the effect 'failed' after maxAttempts, keeping the last error", () => {
    let g = acceptedAtT0();
    for (let i = 1; i <= 3; i++)
      g = failAttempt(beginAttempt(g, 'handoff', at(i * 100), POLICY), 'handoff', `Error: try ${i}`, at(i * 100), POLICY);
    expect(handoffOf(g)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Error: try 3' });
    expect(dueEffects(g, 'handoff', at(1_000_000))).toEqual([]);
    expect(effectDueAt(g, 'handoff')).toBeNull();
  });

  it('failAttempt truncates the error to 500 characters', () => {
    const g = failAttempt(beginAttempt(acceptedAtT0(), 'handoff', T0, POLICY), 'handoff', 'x'.repeat(2_000), T0, POLICY);
    expect(handoffOf(g).lastError).toHaveLength(500);
  });

  it('settled or missing effects are left alone (same object, no version bump)', () => {
    const done = completeAttempt(beginAttempt(acceptedAtT0(), 'handoff', T0, POLICY), 'handoff', T0, { receipt: null });
    expect(beginAttempt(done, 'handoff', at(1), POLICY)).toBe(done);
    expect(failAttempt(done, 'handoff', 'late', at(1), POLICY)).toBe(done);
    expect(completeAttempt(done, 'handoff', at(1), { receipt: 'again' })).toBe(done);
    expect(beginAttempt(done, 'no-such-effect', at(1), POLICY)).toBe(done);
  });
});

describe('withEffects', () => {
  it('never adds an effect whose id already exists', () => {
    const g = acceptedAtT0();
    const before = g.effects.length;
    const again = withEffects(g, handoffEffect(g, at(9)), notifyGiverEffect(g, 'gift_accepted', at(9)));
    expect(again).toHaveLength(before);
    expect(again.filter((e) => e.id === 'handoff')).toHaveLength(1);
    expect(again.find((e) => e.id === 'handoff')!.createdAt).toBe(T0);
  });

  it('adds effects with new ids after the existing ones', () => {
    const g = addressedGift();
    const out = withEffects(g, refundEffect(g, 'declined', T0));
    expect(out.map((e) => e.id)).toEqual([...g.effects.map((e) => e.id), 'refund']);
  });

  it('applied repeatedly, every id stays unique', () => {
    let g = acceptedAtT0();
    for (let i = 0; i < 3; i++)
      g = {
        ...g,
        effects: withEffects(
          g,
          handoffEffect(g, at(i)),
          notifyGiverEffect(g, 'gift_accepted', at(i)),
          notifyGiverEffect(g, 'gift_claimed', at(i)),
        ),
      };
    const ids = g.effects.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['handoff', 'notify:gift_accepted', 'notify:gift_claimed', 'notify:gift_expiring']);
  });
});

describe('idempotency keys', () => {
  it('are derived from the gift id and the effect id', () => {
    expect(effectIdempotencyKey('g_abc', 'handoff')).toBe('songli:g_abc:handoff');
    const g = acceptedAtT0();
    expect(g.effects.map((e) => e.idempotencyKey).sort()).toEqual(
      [
        `songli:${GIFT_ID}:handoff`,
        `songli:${GIFT_ID}:notify:gift_accepted`,
        `songli:${GIFT_ID}:notify:gift_claimed`,
        `songli:${GIFT_ID}:notify:gift_expiring`,
      ].sort(),
    );
  });

  it('stay the same across attempts and failures', () => {
    let g = acceptedAtT0();
    const key = handoffOf(g).idempotencyKey;
    g = failAttempt(beginAttempt(g, 'handoff', T0, POLICY), 'handoff', 'e', T0, POLICY);
    g = completeAttempt(beginAttempt(g, 'handoff', at(5), POLICY), 'handoff', at(5), { receipt: 'r' });
    expect(handoffOf(g).idempotencyKey).toBe(key);
  });

  it('do not depend on the time the effect was recorded', () => {
    const g = addressedGift();
    expect(refundEffect(g, 'declined', T0).idempotencyKey).toBe(refundEffect(g, 'expired', at(999)).idempotencyKey);
    expect(handoffEffect(g, T0).idempotencyKey).toBe(`songli:${GIFT_ID}:handoff`);
  });
});

describe('awaitsFirstDelivery (the stream has the first attempt for firstDeliverySeconds)', () => {
  const STREAMED: DispatchPolicy = { ...POLICY, firstDeliverySeconds: 30 };
  const notice = () => notifyGiverEffect(addressedGift(), 'gift_claimed', T0);

  it('holds an effect recorded due until the grace ends, and never without a stream', () => {
    const doc = { updatedAt: T0 };
    expect(awaitsFirstDelivery(notice(), doc, at(29), STREAMED)).toBe(true);
    expect(awaitsFirstDelivery(notice(), doc, at(30), STREAMED)).toBe(false);
    expect(awaitsFirstDelivery(notice(), doc, at(1), POLICY)).toBe(false);
  });

  // A later write where the clock lags the recording writer's: its updatedAt precedes the notice's createdAt.
  it('still holds it when a later write stamped an earlier instant (a lagging clock), within the grace', () => {
    expect(awaitsFirstDelivery(notice(), { updatedAt: at(-5) }, at(1), STREAMED)).toBe(true);
  });

  it('does not hold a reminder recorded for later: the scheduled pass sends it when due', () => {
    const gift = { ...addressedGift(), expiresAt: at(24 * 3_600) };
    const reminder = expiryReminderEffect(gift, RECIPIENT, 2 * 3_600, T0)!;
    expect(reminder.createdAt).toBe(at(22 * 3_600));
    expect(awaitsFirstDelivery(reminder, { updatedAt: T0 }, at(22 * 3_600), STREAMED)).toBe(false);
    // Falling due within the grace of the last write, it waits out the grace (the price of the lagging-clock slack).
    const soon = expiryReminderEffect({ ...gift, expiresAt: at(2 * 3_600 + 10) }, RECIPIENT, 2 * 3_600, T0)!;
    expect(awaitsFirstDelivery(soon, { updatedAt: T0 }, at(10), STREAMED)).toBe(true);
    expect(awaitsFirstDelivery(soon, { updatedAt: T0 }, at(40), STREAMED)).toBe(false);
  });
});
