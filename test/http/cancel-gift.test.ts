/**
 * POST /gifts/:id/cancel over real HTTP: the giver cancels a gift not paid for; the cancel records the cleanup's own
 * refund effect, so the payment order is closed and a payment racing the cancel (the dev provider's charge, held in
 * flight here) is refunded once; a paid gift answers 409 GIFT_ALREADY_PAID; a canceled one answers 200 again.
 */
import { describe, expect, it } from 'vitest';
import type { DevPaymentGateway } from '../../shared/adapters/simulated/dev-payment-gateway';
import { sendGift, serverForFile } from '../support/http-harness';

const t = serverForFile();
const codeOf = (r: { status: number; body: any }) => `${r.status} ${r.body?.error?.code}`;
const create = async (giver: string) =>
  (await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue' } })).body.gift.id as string;
const cancel = (giftId: string, as?: string) => t.api('POST', `/gifts/${giftId}/cancel`, as ? { as } : {});
const payments = () => t.server.dev.payments as DevPaymentGateway;
const refundsOf = async (giftId: string, as: string) =>
  (await t.api('GET', '/dev/refunds', { as })).body.refunds.filter((r: { giftId: string }) => r.giftId === giftId);
const chargesOf = (giftId: string) =>
  payments()
    .listCharges()
    .filter((c) => c.giftId === giftId);

/** Holds the dev provider's next charge until release(): the payment is on its way while the giver cancels. */
function holdNextCharge() {
  const gateway = payments();
  const prepare = gateway.prepare.bind(gateway);
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (entered = r));
  gateway.prepare = async (order) => {
    gateway.prepare = prepare; // only this one
    entered();
    await gate;
    return prepare(order);
  };
  return { reached, release: () => release() };
}

describe('canceling', () => {
  it('cancels an unpaid gift (200 canceled, the order-closing refund recorded), then closes the order: nothing charged', async () => {
    const giftId = await create('c_giver');
    const r = await cancel(giftId, 'c_giver');
    expect(r.status).toBe(200);
    expect(r.body.gift).toMatchObject({
      id: giftId,
      status: 'canceled',
      canceledAt: t.clock.now().toISOString(),
      claimToken: null,
      refund: { status: 'pending', reason: 'canceled', outcome: null },
    });
    await t.api('POST', '/dev/sweep', { as: 'c_giver' });
    const view = await t.api('GET', `/gifts/${giftId}`, { as: 'c_giver' });
    expect(view.body.gift).toMatchObject({ status: 'canceled', refund: { status: 'done', outcome: 'payment_closed', amountFen: 0 } });
    expect(codeOf(await t.api('POST', `/gifts/${giftId}/pay`, { as: 'c_giver' }))).toBe('409 GIFT_CANCELED');
    expect(chargesOf(giftId)).toEqual([]);
    expect(await refundsOf(giftId, 'c_giver')).toEqual([]);
  });

  it('is idempotent: canceling a canceled gift answers 200 with it, unchanged', async () => {
    const giftId = await create('c_twice');
    const first = await cancel(giftId, 'c_twice');
    t.clock.advanceSeconds(30);
    const again = await cancel(giftId, 'c_twice');
    expect([again.status, again.body.gift.canceledAt]).toEqual([200, first.body.gift.canceledAt]);
    const swept = await create('c_twice');
    t.clock.advanceSeconds(1_800);
    await t.api('POST', '/dev/sweep', { as: 'c_twice' }); // canceled by the cleanup first
    expect((await cancel(swept, 'c_twice')).body.gift.status).toBe('canceled');
  });

  it('answers 409 GIFT_ALREADY_PAID for a paid gift, whatever became of it', async () => {
    const { giftId, token } = await sendGift(t, 'c_paid');
    expect(codeOf(await cancel(giftId, 'c_paid'))).toBe('409 GIFT_ALREADY_PAID');
    await t.api('POST', `/claims/${token}/claim`, { as: 'c_paid_friend' });
    expect(codeOf(await cancel(giftId, 'c_paid'))).toBe('409 GIFT_ALREADY_PAID');
    expect((await t.api('GET', `/gifts/${giftId}`, { as: 'c_paid' })).body.gift).toMatchObject({ status: 'claimed', refund: null });
  });

  it('answers 404 to anyone but the giver and for unknown ids, 401 signed out', async () => {
    const giftId = await create('c_owner');
    expect(codeOf(await cancel(giftId, 'c_stranger'))).toBe('404 GIFT_NOT_FOUND');
    expect(codeOf(await cancel('g_doesnotexist', 'c_owner'))).toBe('404 GIFT_NOT_FOUND');
    expect(codeOf(await cancel('%20', 'c_owner'))).toBe('404 GIFT_NOT_FOUND');
    expect(codeOf(await cancel(giftId))).toBe('401 UNAUTHENTICATED');
    expect((await t.api('GET', `/gifts/${giftId}`, { as: 'c_owner' })).body.gift.status).toBe('awaiting_payment');
  });
});

describe('a payment racing the cancel', () => {
  it('paid at the provider but not yet recorded (a late notification): the provider is asked, the gift is sent, 409', async () => {
    const giftId = await create('r_late');
    await payments().prepare({
      orderNo: giftId,
      giftId,
      payerId: 'r_late',
      amountFen: 29_900,
      description: 'x',
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(codeOf(await cancel(giftId, 'r_late'))).toBe('409 GIFT_ALREADY_PAID');
    const view = await t.api('GET', `/gifts/${giftId}`, { as: 'r_late' });
    expect(view.body.gift).toMatchObject({ status: 'sent', refund: null, claimToken: expect.any(String) });
  });

  it('canceled and closed while the charge is in flight: the charge is refused, pay answers 409, nothing is taken', async () => {
    const giftId = await create('r_closed');
    const held = holdNextCharge();
    const paying = t.api('POST', `/gifts/${giftId}/pay`, { as: 'r_closed' });
    await held.reached;
    expect((await cancel(giftId, 'r_closed')).body.gift.status).toBe('canceled');
    await t.api('POST', '/dev/sweep', { as: 'r_closed' }); // the refund effect closes the order
    held.release();
    expect(codeOf(await paying)).toBe('409 GIFT_CANCELED');
    expect(chargesOf(giftId)).toEqual([]);
    expect(await refundsOf(giftId, 'r_closed')).toEqual([]);
    expect((await t.api('GET', `/gifts/${giftId}`, { as: 'r_closed' })).body.gift.refund).toMatchObject({ outcome: 'payment_closed' });
  });

  it('the charge lands after the cancel: pay answers 409, the close finds it paid, and it is refunded exactly once', async () => {
    const giftId = await create('r_refund');
    const held = holdNextCharge();
    const paying = t.api('POST', `/gifts/${giftId}/pay`, { as: 'r_refund' });
    await held.reached;
    expect((await cancel(giftId, 'r_refund')).body.gift.status).toBe('canceled');
    held.release();
    expect(codeOf(await paying)).toBe('409 GIFT_CANCELED');
    const [charge] = chargesOf(giftId);
    expect(charge).toMatchObject({ amountFen: 29_900 });
    await t.api('POST', '/dev/sweep', { as: 'r_refund' });
    await t.api('POST', '/dev/sweep', { as: 'r_refund' });
    expect(await refundsOf(giftId, 'r_refund')).toEqual([
      expect.objectContaining({ paymentId: charge!.paymentId, amountFen: 29_900, reason: 'canceled', requests: 1 }),
    ]);
    const view = await t.api('GET', `/gifts/${giftId}`, { as: 'r_refund' });
    expect(view.body.gift).toMatchObject({ status: 'canceled', refund: { status: 'done', outcome: 'refunded', amountFen: 29_900 } });
    // Still a canceled gift (its late payment refunded): canceling again answers 200 with it.
    expect((await cancel(giftId, 'r_refund')).body.gift).toMatchObject({ status: 'canceled', refund: { outcome: 'refunded' } });
  });
});
