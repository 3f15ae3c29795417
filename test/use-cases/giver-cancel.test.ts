/**
 * The giver's cancel when WeChat Pay cannot be asked: canceled anyway, since the recorded refund closes the order; a
 * payment made meanwhile (never recorded on the gift) is learnt by that close and refunded in one settling write.
 */
import { expect, it } from 'vitest';
import { DependencyError } from '../../shared/ports/dependency-error';
import { cancelGift } from '../../shared/use-cases/cancel-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { makeDeps } from '../support/memory-deps';

it('cancels without the provider’s answer, and the close that follows refunds a payment made meanwhile', async () => {
  const deps = makeDeps();
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  const query = deps.payments.query.bind(deps.payments);
  deps.payments.query = async () => {
    throw new DependencyError('payments', 'provider unreachable');
  };
  // The charge lands at the provider while it cannot be asked.
  await deps.payments.prepare({
    orderNo: gift.id,
    giftId: gift.id,
    payerId: 'giver',
    amountFen: 29_900,
    description: 'x',
    expiresAt: gift.paymentDueAt,
  });
  expect((await cancelGift(deps, 'giver', gift.id)).status).toBe('canceled');
  deps.payments.query = query;
  // The close finds the order paid: the payment is learnt and refunded, and both are recorded in the settling write.
  expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ succeeded: 1, failed: 0 });
  expect(deps.payments.listRefunds()).toEqual([expect.objectContaining({ amountFen: 29_900, reason: 'canceled', requests: 1 })]);
  const stored = (await deps.store.get(gift.id))!;
  expect(stored).toMatchObject({ status: 'canceled', payment: { amountFen: 29_900 } });
  expect(stored.effects.find((e) => e.kind === 'refund')).toMatchObject({ status: 'done', outcome: 'refunded', attempts: 1 });
});
