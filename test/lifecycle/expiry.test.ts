/** Expiry driven by the injected clock: nothing real waits 24 hours. */
import { expect, it } from 'vitest';
import { ADDRESS, sendGift, serverForFile } from '../support/http-harness';

const t = serverForFile();

it('keeps a gift claimable until 24 h after sending, then expires and refunds it once', async () => {
  const { giftId, token } = await sendGift(t, 'giver_exp');
  await t.api('POST', `/claims/${token}/claim`, { as: 'friend_exp' });
  await t.api('PUT', `/claims/${token}/address`, { as: 'friend_exp', body: ADDRESS });

  t.clock.advanceSeconds(86_399);
  expect((await t.api('POST', '/dev/sweep', { as: 'ops' })).body.sweep['sweep-gifts']).toMatchObject({ expired: 0 });
  expect((await t.api('GET', `/claims/${token}`, { as: 'friend_exp' })).body.gift.status).toBe('claimed');

  t.clock.advanceSeconds(1); // exactly sentAt + 24 h
  const accept = await t.api('POST', `/claims/${token}/accept`, { as: 'friend_exp' });
  expect({ status: accept.status, code: accept.body.error.code }).toEqual({ status: 410, code: 'GIFT_EXPIRED' });

  const sweep = await t.api('POST', '/dev/sweep', { as: 'ops' });
  expect(sweep.body.sweep['sweep-gifts']).toMatchObject({ expired: 0 }); // the refused accept already recorded the expiry
  const view = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_exp' });
  expect(view.body.gift).toMatchObject({
    status: 'expired',
    expiredAt: '2026-11-25T08:00:00.000Z',
    refund: { status: 'done', reason: 'expired', amountFen: 29_900 },
  });

  t.clock.advanceSeconds(3_600);
  await t.api('POST', '/dev/sweep', { as: 'ops' });
  expect(t.server.dev.payments!.listRefunds().filter((r) => r.giftId === giftId)).toEqual([
    expect.objectContaining({ reason: 'expired', requests: 1 }),
  ]);
  expect((await t.api('GET', `/gifts/${giftId}`, { as: 'giver_exp' })).body.gift.handoff).toBeNull();
});

it('expires an unclaimed gift through the scheduled cleanup alone', async () => {
  const { giftId, token } = await sendGift(t, 'giver_exp2');
  t.clock.advanceSeconds(86_400 + 5);
  const sweep = await t.api('POST', '/dev/sweep', { as: 'ops' });
  expect(sweep.body.sweep['sweep-gifts'].expired).toBeGreaterThanOrEqual(1);
  const claim = await t.api('POST', `/claims/${token}/claim`, { as: 'late_friend' });
  expect({ status: claim.status, code: claim.body.error.code }).toEqual({ status: 410, code: 'GIFT_EXPIRED' });
  expect(t.server.dev.payments!.listRefunds().filter((r) => r.giftId === giftId)).toHaveLength(1);
});

it('cancels an unpaid gift after the payment window; paying it then is refused', async () => {
  const created = await t.api('POST', '/gifts', { as: 'giver_unpaid', body: { skuId: 'sku_tea_250' } });
  t.clock.advanceSeconds(1_800);
  await t.api('POST', '/dev/sweep', { as: 'ops' });
  const pay = await t.api('POST', `/gifts/${created.body.gift.id}/pay`, { as: 'giver_unpaid' });
  expect({ status: pay.status, code: pay.body.error.code }).toEqual({ status: 409, code: 'GIFT_CANCELED' });
  const view = await t.api('GET', `/gifts/${created.body.gift.id}`, { as: 'giver_unpaid' });
  expect(view.body.gift.status).toBe('canceled');
  expect(view.body.gift.refund).toMatchObject({ status: 'done', reason: 'canceled' });
  expect(t.server.dev.payments!.listRefunds().filter((r) => r.giftId === created.body.gift.id)).toHaveLength(0);
});
