/**
 * Two dispatcher runs at once (overlapping scheduled runs, or a run and a retry) must not both deliver one effect:
 * the lease stops the second (beginAttempt's, written; or one held in memory on a store one process owns).
 * Regression: the run that lost the compare-and-set used to re-read the gift, find the effect leased (not due), write
 * nothing, and then mistake the other run's attempt for its own, so every effect went out twice (the receiver's
 * idempotency key kept money and parcels single). Found on DynamoDB Local.
 */
import { expect, it } from 'vitest';
import { AddressBody } from '../../shared/schemas/address';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { makeDeps } from '../support/memory-deps';
import { override } from '../support/override';

// The memory store holds leases in memory (ports/effect-leases.ts); without effectLeases they are written, as on DynamoDB.
for (const leases of ['held in memory', 'written'] as const)
  it(`two concurrent dispatcher runs deliver a handoff once (leases ${leases})`, async () => {
    const base = makeDeps();
    const deps = leases === 'written' ? { ...base, store: override(base.store, { effectLeases: undefined }) } : base;
    const { gift } = await createGift(deps, { giverId: 'alice', body: { skuId: 'sku_scarf_blue', message: null } });
    const { claimToken } = await payGift(deps, 'alice', gift.id);
    await claimGift(deps, 'bob', claimToken!);
    await setGiftAddress(
      deps,
      'bob',
      claimToken!,
      AddressBody.parse({ name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' }),
    );
    await acceptGift(deps, 'bob', claimToken!);
    const reports = await Promise.all([dispatchDueEffects(deps, 'handoff'), dispatchDueEffects(deps, 'handoff')]);
    expect(reports.map((r) => r.attempted).reduce((a, b) => a + b)).toBe(1);
    expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: gift.id, deliveries: 1 })]);
  });
