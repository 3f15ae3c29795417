/**
 * The giver pays while the cleanup cancels the unpaid gift (the race the state-machine properties found). The cleanup
 * asks the provider about the order first; the cancel's refund closes the order, and refunds what was paid if the
 * close finds it paid. Never charged-and-kept, never charged-and-200-canceled, never a second refund.
 */
import { expect, it } from 'vitest';
import { createGift } from '../../shared/use-cases/create-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';
import { asyncCodeOf, makeDeps } from '../support/memory-deps';

/**
 * Holds every prepare (the dev provider's charge) until `release()`: the payment is "on its way". `entered` resolves
 * once pay has reached the provider (so the test moves the clock only after pay's own checks ran).
 */
function slowCharges(deps: ReturnType<typeof makeDeps>) {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (entered = r));
  const prepare = deps.payments.prepare.bind(deps.payments);
  deps.payments.prepare = async (req) => {
    entered();
    await gate;
    return prepare(req);
  };
  return { release: () => release(), reached };
}

it('cancel (and its close) while the charge is in flight: the charge is refused, pay answers 409, nothing is taken', async () => {
  const deps = makeDeps();
  const { release, reached } = slowCharges(deps);
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  deps.clock.advanceSeconds(1_799);
  // The outcome is awaited last; take it now so its rejection is never "unhandled" while the cleanup runs.
  const paying = asyncCodeOf(payGift(deps, 'giver', gift.id));
  await reached;
  deps.clock.advanceSeconds(1);
  expect(await sweepOverdueGifts(deps)).toMatchObject({ canceled: 1 });
  expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ succeeded: 1 });
  release();
  expect(await paying).toBe('GIFT_CANCELED');
  expect(deps.payments.listCharges()).toEqual([]);
  expect(deps.payments.listRefunds()).toEqual([]);
  expect((await deps.store.get(gift.id))!.effects.find((e) => e.kind === 'refund')).toMatchObject({ outcome: 'payment_closed' });
});

it('charge lands before the cleanup: its query finds the payment, so the gift is sent, not canceled', async () => {
  const deps = makeDeps();
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  deps.clock.advanceSeconds(1_799);
  const prepare = deps.payments.prepare.bind(deps.payments);
  deps.payments.prepare = async (req) => {
    const out = await prepare(req);
    deps.clock.advanceSeconds(1);
    expect(await sweepOverdueGifts(deps)).toMatchObject({ paidLate: 1, canceled: 0 });
    return out;
  };
  const paid = await payGift(deps, 'giver', gift.id);
  expect(paid.gift.status).toBe('sent');
  expect(paid.claimToken).toBe(deps.claimLinks.tokenFor(gift.id, 1));
  expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ attempted: 0 });
  expect(deps.payments.listRefunds()).toEqual([]);
});

it('charge lands after the cleanup canceled: pay answers 409, the close finds it paid, and it is refunded once', async () => {
  const deps = makeDeps();
  const { release, reached } = slowCharges(deps);
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  deps.clock.advanceSeconds(1_799);
  const paying = asyncCodeOf(payGift(deps, 'giver', gift.id));
  await reached;
  deps.clock.advanceSeconds(1);
  expect(await sweepOverdueGifts(deps)).toMatchObject({ canceled: 1 });
  release();
  expect(await paying).toBe('GIFT_CANCELED');
  const [taken] = deps.payments.listCharges();
  expect(taken).toBeDefined();
  await dispatchDueEffects(deps, 'refund');
  await dispatchDueEffects(deps, 'refund');
  expect(deps.payments.listRefunds()).toEqual([
    expect.objectContaining({ paymentId: taken!.paymentId, amountFen: 29_900, reason: 'canceled', requests: 1 }),
  ]);
  const stored = (await deps.store.get(gift.id))!;
  expect(stored.status).toBe('canceled');
  expect(stored.payment).toMatchObject({ paymentId: taken!.paymentId });
  expect(stored.effects.find((e) => e.kind === 'refund')).toMatchObject({ status: 'done', outcome: 'refunded' });
});
