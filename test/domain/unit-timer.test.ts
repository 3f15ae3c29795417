/** unitTimer: what a group order's unit waits for (its pending effects only; deadlines belong to the order). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { acceptUnit, declineUnit, setUnitAddress, takeUnit } from '../../shared/domain/group-units';
import { addSeconds } from '../../shared/domain/time';
import { unitTimer } from '../../shared/domain/timers';
import { paidOrder } from '../support/group-fixtures';
import { ADDRESS, T0 } from '../support/memory-deps';

const REMIND = DEFAULT_GIFT_POLICY.reminderBeforeExpirySeconds;

describe('unitTimer', () => {
  const order = paidOrder({ quantity: 2 });
  const taken = takeUnit(order, 0, 'bob', T0, REMIND);

  it('waits for the reminder of a claimed unit, due before the order closes; never for the sweep', () => {
    expect(unitTimer(taken)).toEqual({ at: addSeconds(order.expiresAt!, -REMIND), kinds: ['notify'] });
  });

  it('waits for the handoff and the notice once accepted, at the earliest pending attempt', () => {
    const at = addSeconds(T0, 60);
    const accepted = acceptUnit(order, setUnitAddress(order, taken, 'bob', ADDRESS, T0), 'bob', at);
    expect(unitTimer(accepted)).toEqual({ at, kinds: ['handoff', 'notify'] });
    const later = addSeconds(T0, 600);
    const retried = { ...accepted, effects: accepted.effects.map((e) => (e.kind === 'handoff' ? { ...e, nextAttemptAt: later } : e)) };
    expect(unitTimer(retried)).toEqual({ at, kinds: ['handoff', 'notify'] });
    const noticeSent = { ...retried, effects: retried.effects.map((e) => (e.kind === 'notify' ? { ...e, status: 'done' as const } : e)) };
    expect(unitTimer(noticeSent)).toEqual({ at: later, kinds: ['handoff'] });
  });

  it('waits for nothing once every effect settled or was canceled', () => {
    expect(unitTimer(declineUnit(order, taken, 'bob', T0))).toBeNull();
  });
});
