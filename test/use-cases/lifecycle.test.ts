import { describe, expect, it } from 'vitest';
import type { SinkFulfillment } from '../../shared/adapters/simulated/sink-fulfillment';
import type { Effect, Gift } from '../../shared/domain/gift';
import { giverView } from '../../shared/domain/gift-views';
import { addSeconds, iso } from '../../shared/domain/time';
import type { Fulfillment, FulfillmentHandoff } from '../../shared/ports/fulfillment';
import { AddressBody } from '../../shared/schemas/address';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';
import { viewClaim } from '../../shared/use-cases/view-claim';
import { asyncCodeOf, type MakeDepsOptions, type MemoryDeps, makeDeps, T0 } from '../support/memory-deps';

const GIVER = 'alice';
const FRIEND = 'bob';
const OTHER = 'carol';
const ADDRESS = AddressBody.parse({ name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' });

async function stored(deps: MemoryDeps, id: string): Promise<Gift> {
  const g = await deps.store.get(id);
  if (!g) throw new Error(`gift ${id} not stored`);
  return g as Gift;
}
const effect = (g: Gift, id: string): Effect => {
  const e = g.effects.find((x) => x.id === id);
  if (!e) throw new Error(`no effect ${id} on ${g.id}`);
  return e;
};

/** create → pay → claim; returns the gift id and its claim token. */
async function sentAndClaimed(deps: MemoryDeps, skuId = 'sku_scarf_blue') {
  const { gift } = await createGift(deps, { giverId: GIVER, body: { skuId, message: '生日快乐' } });
  const { claimToken } = await payGift(deps, GIVER, gift.id);
  if (!claimToken) throw new Error('pay returned no token');
  await claimGift(deps, FRIEND, claimToken);
  return { id: gift.id, token: claimToken };
}

async function acceptedGift(deps: MemoryDeps) {
  const ids = await sentAndClaimed(deps);
  await setGiftAddress(deps, FRIEND, ids.token, ADDRESS);
  await acceptGift(deps, FRIEND, ids.token);
  return ids;
}

/** Fails `failures` times (or forever when Infinity), then delegates to the sink. */
class FlakyFulfillment implements Fulfillment {
  calls = 0;
  keys: string[] = [];
  constructor(
    private readonly failures: number,
    private sink: SinkFulfillment | null = null,
  ) {}
  attach(sink: SinkFulfillment) {
    this.sink = sink;
  }
  async handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }) {
    this.calls++;
    this.keys.push(req.idempotencyKey);
    if (this.calls <= this.failures) throw new Error(`fulfillment down (call ${this.calls})`);
    return this.sink!.handOff(req);
  }
}

function depsWithFlaky(failures: number, opts: MakeDepsOptions = {}) {
  const flaky = new FlakyFulfillment(failures);
  const deps = makeDeps({ ...opts, fulfillment: flaky });
  flaky.attach(deps.sink);
  return { deps, flaky };
}

describe('test wiring', () => {
  it('starts the frozen clock at 2026-11-24T08:00:00.000Z and keeps it there', () => {
    const deps = makeDeps();
    expect(deps.clock.now().toISOString()).toBe(T0);
    expect(deps.clock.now().toISOString()).toBe(T0);
  });
});

describe('full flow', () => {
  it('create → pay → claim → address → swap → accept → dispatch hands off exactly once', async () => {
    const deps = makeDeps();
    const { gift: created, replayed } = await createGift(deps, {
      giverId: GIVER,
      body: { skuId: 'sku_scarf_blue', message: '生日快乐' },
    });
    expect(replayed).toBe(false);
    expect(created).toMatchObject({ status: 'awaiting_payment', version: 1, priceFen: 29_900, createdAt: T0 });

    const paid = await payGift(deps, GIVER, created.id);
    expect(paid.gift.status).toBe('sent');
    expect(paid.gift.expiresAt).toBe('2026-11-25T08:00:00.000Z');
    const token = paid.claimToken!;

    const claimed = await claimGift(deps, FRIEND, token);
    expect(claimed).toMatchObject({ status: 'claimed', recipientId: FRIEND });

    const addressed = await setGiftAddress(deps, FRIEND, token, ADDRESS);
    expect(addressed.address).toEqual(ADDRESS);

    const swapped = await swapGiftVariant(deps, FRIEND, token, 'sku_scarf_grey');
    expect(swapped.skuId).toBe('sku_scarf_grey');
    expect(swapped.swaps).toEqual([{ fromSkuId: 'sku_scarf_blue', toSkuId: 'sku_scarf_grey', at: T0 }]);

    const accepted = await acceptGift(deps, FRIEND, token);
    expect(accepted.status).toBe('accepted');
    expect(accepted.version).toBe(6);
    expect(deps.sink.list()).toHaveLength(0); // recorded, not yet delivered

    const report = await dispatchDueEffects(deps, 'handoff');
    expect(report).toEqual({ attempted: 1, succeeded: 1, failed: 0, gaveUp: 0 });

    const received = deps.sink.list();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ giftId: created.id, idempotencyKey: `songli:${created.id}:handoff`, deliveries: 1 });
    expect(received[0]!.handoff).toMatchObject({
      is_present: true,
      present_giver_openid: GIVER,
      openid: FRIEND,
      present_note: '生日快乐',
      skuId: 'sku_scarf_grey',
      originalSkuId: 'sku_scarf_blue',
      priceFen: 29_900,
      paymentId: paid.gift.payment!.paymentId,
      address: ADDRESS,
    });

    const after = await stored(deps, created.id);
    expect(effect(after, 'handoff')).toMatchObject({ status: 'done', attempts: 1, receipt: `sink:${created.id}`, completedAt: T0 });
    expect(giverView(after, T0).handoff).toMatchObject({ status: 'done', attempts: 1 });
    expect(deps.payments.listCharges()).toHaveLength(1);
    expect(deps.payments.listRefunds()).toHaveLength(0);
  });

  it('dispatching again, even much later, delivers nothing more', async () => {
    const deps = makeDeps();
    const { id } = await acceptedGift(deps);
    await dispatchDueEffects(deps, 'handoff');
    const versionAfterFirst = (await stored(deps, id)).version;

    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 0, succeeded: 0, failed: 0, gaveUp: 0 });
    deps.clock.advanceSeconds(7 * 86_400);
    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 0, succeeded: 0, failed: 0, gaveUp: 0 });

    expect(deps.sink.list()).toHaveLength(1);
    expect(deps.sink.list()[0]!.deliveries).toBe(1);
    expect((await stored(deps, id)).version).toBe(versionAfterFirst);
  });

  it('an accepted gift is not expired by the sweep and gets no refund', async () => {
    const deps = makeDeps();
    const { id } = await acceptedGift(deps);
    deps.clock.advanceSeconds(2 * 86_400);
    expect(await sweepOverdueGifts(deps)).toEqual({
      expired: 0,
      canceled: 0,
      paidLate: 0,
      skipped: 0,
      deferred: 0,
      drawn: 0,
      refundBatches: 0,
    });
    await dispatchDueEffects(deps, 'refund');
    expect((await stored(deps, id)).status).toBe('accepted');
    expect(deps.payments.listRefunds()).toHaveLength(0);
  });

  it('notifies the giver once per event', async () => {
    const deps = makeDeps();
    const { id } = await acceptedGift(deps);
    await dispatchDueEffects(deps, 'notify');
    await dispatchDueEffects(deps, 'notify');
    const sent = deps.notifier.list();
    expect(sent.map((n) => n.event).sort()).toEqual(['gift_accepted', 'gift_claimed']);
    expect(sent.every((n) => n.userId === GIVER && n.giftId === id)).toBe(true);
    expect(JSON.stringify(sent)).not.toContain(ADDRESS.phone);
  });

  it('the recipient claim view never shows a price', async () => {
    const deps = makeDeps();
    const { token } = await sentAndClaimed(deps);
    const view = await viewClaim(deps, FRIEND, token);
    expect(view.viewer).toBe('recipient');
    expect(JSON.stringify(view)).not.toMatch(/price|amount|29900/i);
  });
});

describe('claim rules through the use cases', () => {
  it('a second claimer gets ALREADY_CLAIMED and the giver CANNOT_CLAIM_OWN_GIFT', async () => {
    const deps = makeDeps();
    const { token, id } = await sentAndClaimed(deps);
    expect(await asyncCodeOf(claimGift(deps, OTHER, token))).toBe('ALREADY_CLAIMED');
    expect(await asyncCodeOf(claimGift(deps, GIVER, token))).toBe('CANNOT_CLAIM_OWN_GIFT');
    expect((await stored(deps, id)).recipientId).toBe(FRIEND);
  });

  it('a wrong secret reads as GIFT_NOT_FOUND', async () => {
    const deps = makeDeps();
    const { id } = await sentAndClaimed(deps);
    expect(await asyncCodeOf(claimGift(deps, OTHER, `${id}.${'z'.repeat(32)}`))).toBe('GIFT_NOT_FOUND');
  });

  it('accept with the address: one read and one write of the gift, the very calls of an accept without one', async () => {
    const calls: string[] = [];
    const deps = makeDeps();
    const counted = new Proxy(deps.store, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(key));
          return value.apply(target, args);
        };
      },
    });
    const countedDeps = { ...deps, store: counted };
    const first = await sentAndClaimed(deps);
    calls.length = 0;
    const accepted = await acceptGift(countedDeps, FRIEND, first.token, { address: ADDRESS });
    const withAddress = [...calls];
    expect(accepted).toMatchObject({ status: 'accepted', address: ADDRESS, version: 4 }); // created, paid, claimed, accepted
    expect(accepted.effects.filter((e) => e.kind === 'handoff')).toHaveLength(1);

    const second = await sentAndClaimed(deps);
    await setGiftAddress(deps, FRIEND, second.token, ADDRESS);
    calls.length = 0;
    await acceptGift(countedDeps, FRIEND, second.token);
    expect(withAddress).toEqual(calls);
    // The memory store answers a claim link's read at once (getByClaimNow): one read, one write.
    expect(withAddress).toEqual(['getByClaimNow', 'replace']);
  });

  it('only the recipient may accept; accept without address is ADDRESS_REQUIRED', async () => {
    const deps = makeDeps();
    const { token } = await sentAndClaimed(deps);
    expect(await asyncCodeOf(acceptGift(deps, OTHER, token))).toBe('NOT_RECIPIENT');
    expect(await asyncCodeOf(acceptGift(deps, FRIEND, token))).toBe('ADDRESS_REQUIRED');
  });

  it('swap to another price, another product or an out-of-stock style is rejected', async () => {
    const deps = makeDeps();
    const { token } = await sentAndClaimed(deps);
    expect(await asyncCodeOf(swapGiftVariant(deps, FRIEND, token, 'sku_scarf_long'))).toBe('VARIANT_NOT_SAME_PRICE');
    expect(await asyncCodeOf(swapGiftVariant(deps, FRIEND, token, 'sku_tea_250'))).toBe('VARIANT_NOT_SAME_PRODUCT');
    expect(await asyncCodeOf(swapGiftVariant(deps, FRIEND, token, 'sku_scarf_red'))).toBe('OUT_OF_STOCK');
    expect(await asyncCodeOf(swapGiftVariant(deps, FRIEND, token, 'sku_nope'))).toBe('SKU_NOT_FOUND');
  });
});

describe('decline', () => {
  it('records a refund that the dispatcher pays back exactly once to the original payment', async () => {
    const deps = makeDeps();
    const { id, token } = await sentAndClaimed(deps);
    const declined = await declineGift(deps, FRIEND, token);
    expect(declined.status).toBe('declined');
    expect(deps.payments.listRefunds()).toHaveLength(0);

    expect(await dispatchDueEffects(deps, 'refund')).toEqual({ attempted: 1, succeeded: 1, failed: 0, gaveUp: 0 });
    await dispatchDueEffects(deps, 'refund');

    const charge = deps.payments.listCharges()[0]!;
    const refunds = deps.payments.listRefunds();
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      giftId: id,
      paymentId: charge.paymentId,
      amountFen: 29_900,
      reason: 'declined',
      requests: 1,
      refundNo: `${id}-refund`,
    });
    const after = await stored(deps, id);
    expect(effect(after, 'refund')).toMatchObject({ status: 'done', receipt: refunds[0]!.refundId });
    expect(giverView(after, T0).refund).toMatchObject({ status: 'done', reason: 'declined', amountFen: 29_900 });
    expect(deps.sink.list()).toHaveLength(0);
  });
});

describe('expiry', () => {
  it('the sweep does nothing one second before the deadline', async () => {
    const deps = makeDeps();
    const { id } = await sentAndClaimed(deps);
    deps.clock.advanceSeconds(86_399);
    expect(await sweepOverdueGifts(deps)).toEqual({
      expired: 0,
      canceled: 0,
      paidLate: 0,
      skipped: 0,
      deferred: 0,
      drawn: 0,
      refundBatches: 0,
    });
    expect((await stored(deps, id)).status).toBe('claimed');
  });

  it('after 24 h the sweep expires the gift and the dispatcher refunds it once', async () => {
    const deps = makeDeps();
    const { id } = await sentAndClaimed(deps);
    deps.clock.advanceSeconds(86_400);

    expect(await sweepOverdueGifts(deps)).toEqual({
      expired: 1,
      canceled: 0,
      paidLate: 0,
      skipped: 0,
      deferred: 0,
      drawn: 0,
      refundBatches: 0,
    });
    const expired = await stored(deps, id);
    expect(expired).toMatchObject({ status: 'expired', expiredAt: '2026-11-25T08:00:00.000Z' });
    expect(expired.effects.filter((e) => e.kind === 'refund')).toHaveLength(1);

    expect(await sweepOverdueGifts(deps)).toEqual({
      expired: 0,
      canceled: 0,
      paidLate: 0,
      skipped: 0,
      deferred: 0,
      drawn: 0,
      refundBatches: 0,
    });
    expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ attempted: 1, succeeded: 1 });
    expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ attempted: 0 });

    const refunds = deps.payments.listRefunds();
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ giftId: id, amountFen: 29_900, reason: 'expired', requests: 1 });
  });

  it('a command through the claim link after the deadline answers GIFT_EXPIRED and expires the gift itself', async () => {
    const deps = makeDeps();
    const { id, token } = await sentAndClaimed(deps);
    await setGiftAddress(deps, FRIEND, token, ADDRESS);
    deps.clock.advanceSeconds(86_400);
    expect(await asyncCodeOf(acceptGift(deps, FRIEND, token))).toBe('GIFT_EXPIRED');
    const g = await stored(deps, id);
    expect(g.status).toBe('expired');
    expect(g.effects.filter((e) => e.kind === 'refund')).toHaveLength(1);
    expect(g.effects.filter((e) => e.kind === 'handoff')).toHaveLength(0);
    expect(await sweepOverdueGifts(deps)).toEqual({
      expired: 0,
      canceled: 0,
      paidLate: 0,
      skipped: 0,
      deferred: 0,
      drawn: 0,
      refundBatches: 0,
    });
  });

  it('an unpaid gift is canceled after the payment window and cannot be paid', async () => {
    const deps = makeDeps();
    const { gift } = await createGift(deps, { giverId: GIVER, body: { skuId: 'sku_tea_250', message: null } });
    deps.clock.advanceSeconds(1_800);
    expect(await sweepOverdueGifts(deps)).toEqual({
      expired: 0,
      canceled: 1,
      paidLate: 0,
      skipped: 0,
      deferred: 0,
      drawn: 0,
      refundBatches: 0,
    });
    expect((await stored(deps, gift.id)).status).toBe('canceled');
    expect(await asyncCodeOf(payGift(deps, GIVER, gift.id))).toBe('GIFT_CANCELED');
    expect(deps.payments.listCharges()).toHaveLength(0);
    await dispatchDueEffects(deps, 'refund');
    expect(deps.payments.listRefunds()).toHaveLength(0);
    // Nothing was charged: the payment order was closed, which is not a refund (the giver's view must not say 已退款).
    expect(effect(await stored(deps, gift.id), 'refund')).toMatchObject({ status: 'done', outcome: 'payment_closed', receipt: null });
    expect(giverView(await stored(deps, gift.id), iso(deps.clock.now())).refund).toMatchObject({
      status: 'done',
      outcome: 'payment_closed',
      amountFen: 0,
    });
  });
});

describe('create-gift idempotency', () => {
  const body = { skuId: 'sku_scarf_blue', message: '生日快乐' };

  it('a replay with the same Idempotency-Key and body returns the same gift', async () => {
    const deps = makeDeps();
    const first = await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-000000001' });
    deps.clock.advanceSeconds(30);
    const second = await createGift(deps, { giverId: GIVER, body: { ...body }, idempotencyKey: 'key-000000001' });
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(second.gift.id).toBe(first.gift.id);
    expect(second.gift).toEqual(first.gift);
    expect(deps.store.size).toBe(1);
  });

  it('the same key with a different body is IDEMPOTENCY_KEY_REUSED', async () => {
    const deps = makeDeps();
    await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-000000002' });
    expect(
      await asyncCodeOf(createGift(deps, { giverId: GIVER, body: { ...body, message: '新年快乐' }, idempotencyKey: 'key-000000002' })),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(
      await asyncCodeOf(createGift(deps, { giverId: GIVER, body: { ...body, skuId: 'sku_scarf_grey' }, idempotencyKey: 'key-000000002' })),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(deps.store.size).toBe(1);
  });

  it('the same key from another giver creates a separate gift', async () => {
    const deps = makeDeps();
    const a = await createGift(deps, { giverId: GIVER, body, idempotencyKey: 'key-000000003' });
    const b = await createGift(deps, { giverId: OTHER, body, idempotencyKey: 'key-000000003' });
    expect(b.replayed).toBe(false);
    expect(b.gift.id).not.toBe(a.gift.id);
    expect(deps.store.size).toBe(2);
  });

  it('without a key every call creates a new gift', async () => {
    const deps = makeDeps();
    const a = await createGift(deps, { giverId: GIVER, body });
    const b = await createGift(deps, { giverId: GIVER, body });
    expect(a.gift.id).not.toBe(b.gift.id);
    expect(deps.store.size).toBe(2);
  });
});

describe('pay idempotency', () => {
  it('a second pay charges nothing more and answers with the same live claim link', async () => {
    const deps = makeDeps();
    const { gift } = await createGift(deps, { giverId: GIVER, body: { skuId: 'sku_scarf_blue', message: null } });
    const first = await payGift(deps, GIVER, gift.id);
    deps.clock.advanceSeconds(10);
    const second = await payGift(deps, GIVER, gift.id);

    expect(first.claimToken).toMatch(new RegExp(`^${gift.id}\\.[A-Za-z0-9_-]{32}$`));
    expect(second.claimToken).toBe(first.claimToken);
    expect(second.gift.status).toBe('sent');
    expect(second.gift.version).toBe(first.gift.version);
    expect(second.gift.sentAt).toBe(T0);
    expect(second.gift.payment).toEqual(first.gift.payment);
    const charges = deps.payments.listCharges();
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ giftId: gift.id, amountFen: 29_900, payerId: GIVER, orderNo: gift.id });
    // the first token still works
    expect((await claimGift(deps, FRIEND, first.claimToken!)).recipientId).toBe(FRIEND);
  });

  it('only the giver may pay (others get GIFT_NOT_FOUND)', async () => {
    const deps = makeDeps();
    const { gift } = await createGift(deps, { giverId: GIVER, body: { skuId: 'sku_scarf_blue', message: null } });
    expect(await asyncCodeOf(payGift(deps, OTHER, gift.id))).toBe('GIFT_NOT_FOUND');
    expect(deps.payments.listCharges()).toHaveLength(0);
  });
});

describe('dispatch retries', () => {
  it('a fulfillment that fails 3 times is retried with backoff and delivers exactly once on attempt 4', async () => {
    const { deps, flaky } = depsWithFlaky(3);
    const { id } = await acceptedGift(deps);

    // attempt 1 at T0 fails → next at T0 + 5 s
    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 1, succeeded: 0, failed: 1, gaveUp: 0 });
    expect(effect(await stored(deps, id), 'handoff')).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: addSeconds(T0, 5),
      lastError: 'Error: fulfillment down (call 1)',
    });
    // not yet due: nothing happens
    deps.clock.advanceSeconds(4);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 0 });

    // attempt 2 at +5 s fails → next at +15 s
    deps.clock.advanceSeconds(1);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 1, failed: 1 });
    expect(effect(await stored(deps, id), 'handoff')).toMatchObject({ attempts: 2, nextAttemptAt: addSeconds(T0, 15) });

    // attempt 3 at +15 s fails → next at +35 s
    deps.clock.advanceSeconds(10);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 1, failed: 1 });
    expect(effect(await stored(deps, id), 'handoff')).toMatchObject({ attempts: 3, nextAttemptAt: addSeconds(T0, 35) });

    // attempt 4 at +35 s succeeds
    deps.clock.advanceSeconds(20);
    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 1, succeeded: 1, failed: 0, gaveUp: 0 });

    const handoff = effect(await stored(deps, id), 'handoff');
    expect(handoff).toMatchObject({ status: 'done', attempts: 4, lastError: null, completedAt: addSeconds(T0, 35), receipt: `sink:${id}` });
    expect(flaky.calls).toBe(4);
    expect(new Set(flaky.keys)).toEqual(new Set([`songli:${id}:handoff`]));
    expect(deps.sink.list()).toHaveLength(1);
    expect(deps.sink.list()[0]!.deliveries).toBe(1);

    deps.clock.advanceSeconds(86_400);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 0 });
    expect(flaky.calls).toBe(4);
  });

  it("a fulfillment that always fails is marked 'failed' after maxAttempts with the last error visible", async () => {
    const { deps, flaky } = depsWithFlaky(Number.POSITIVE_INFINITY, { dispatchPolicy: { maxAttempts: 3 } });
    const { id } = await acceptedGift(deps);

    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 1, succeeded: 0, failed: 1, gaveUp: 0 });
    deps.clock.advanceSeconds(5);
    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 1, succeeded: 0, failed: 1, gaveUp: 0 });
    deps.clock.advanceSeconds(10);
    expect(await dispatchDueEffects(deps, 'handoff')).toEqual({ attempted: 1, succeeded: 0, failed: 1, gaveUp: 1 });

    const g = await stored(deps, id);
    expect(effect(g, 'handoff')).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'Error: fulfillment down (call 3)',
      completedAt: null,
    });
    expect(giverView(g, deps.clock.now().toISOString()).handoff).toEqual({
      status: 'failed',
      attempts: 3,
      nextAttemptAt: null,
      lastError: 'Error: fulfillment down (call 3)',
      completedAt: null,
    });

    deps.clock.advanceSeconds(30 * 86_400);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 0 });
    expect(flaky.calls).toBe(3);
    expect(deps.sink.list()).toHaveLength(0);
    expect((await stored(deps, id)).status).toBe('accepted');
  });
});
