/**
 * Regression for the race the state-machine properties found: the giver pays while the cleanup cancels the
 * unpaid gift. The cancel's refund closes the payment order, so the late charge is refused and no money is
 * taken; a charge that lands first is refunded. Never charged-and-kept, never charged-and-200-canceled.
 */
import { expect, it } from 'vitest';
import { createGift } from '../../shared/use-cases/create-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';
import { asyncCodeOf, makeDeps } from '../support/memory-deps';

/** Holds every charge until `release()`: the payment is "on its way". */
function slowCharges(deps: ReturnType<typeof makeDeps>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const charge = deps.payments.charge.bind(deps.payments);
  deps.payments.charge = async (req) => {
    await gate;
    return charge(req);
  };
  return () => release();
}

it('cancel (and its refund) while the charge is in flight: the charge is refused, pay answers 409, nothing is taken', async () => {
  const deps = makeDeps();
  const release = slowCharges(deps);
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  deps.clock.advanceSeconds(1_799);
  // The outcome is awaited last; take it now so its rejection is never "unhandled" while the cleanup runs.
  const paying = asyncCodeOf(payGift(deps, 'giver', gift.id));
  deps.clock.advanceSeconds(1);
  expect(await sweepOverdueGifts(deps)).toMatchObject({ canceled: 1 });
  expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ succeeded: 1 });
  release();
  expect(await paying).toBe('GIFT_CANCELED');
  expect(deps.payments.listCharges()).toEqual([]);
  expect(deps.payments.listRefunds()).toEqual([]);
});

it('charge lands first, cancel wins the write: pay answers 409 and the charge is refunded once', async () => {
  const deps = makeDeps();
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  deps.clock.advanceSeconds(1_799);
  // The charge is taken, then the window closes before the payment is recorded.
  const charge = deps.payments.charge.bind(deps.payments);
  deps.payments.charge = async (req) => {
    const out = await charge(req);
    deps.clock.advanceSeconds(1);
    await sweepOverdueGifts(deps);
    return out;
  };
  expect(await asyncCodeOf(payGift(deps, 'giver', gift.id))).toBe('GIFT_CANCELED');
  await dispatchDueEffects(deps, 'refund');
  await dispatchDueEffects(deps, 'refund');
  const [taken] = deps.payments.listCharges();
  expect(deps.payments.listRefunds()).toEqual([
    expect.objectContaining({ paymentId: taken!.paymentId, amountFen: 29_900, reason: 'canceled' }),
  ]);
});
