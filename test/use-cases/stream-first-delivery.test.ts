/**
 * The stream's first delivery (dispatchEffectsOf on the image a write committed): no lease write, the receivers are
 * called at once and one compare-and-set records each attempt with its outcome. Racing a scheduled pass, a later
 * write's image, or a crash before the settle, each attempt key reaches its receiver once (or again with the same
 * key after a crash), and is recorded once.
 */
import { describe, expect, it } from 'vitest';
import type { Gift } from '../../shared/domain/gift';
import type { GiftDocument } from '../../shared/domain/gift-document';
import type { Fulfillment } from '../../shared/ports/fulfillment';
import { StoreUnavailableError } from '../../shared/ports/gift-store';
import type { RefundRequest, RefundState } from '../../shared/ports/payments';
import { AddressBody } from '../../shared/schemas/address';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { applyPaymentEvent } from '../../shared/use-cases/apply-payment-event';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { dispatchDueEffects, dispatchEffectsOf } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { type MemoryDeps, makeDeps } from '../support/memory-deps';
import { override } from '../support/override';

const ADDRESS = AddressBody.parse({ name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' });

/** A handoff receiver that counts calls per key and can be held until released. */
function heldReceiver(inner: () => Fulfillment) {
  const calls: string[] = [];
  let release: () => void = () => {};
  let held: Promise<void> | null = null;
  return {
    calls,
    hold() {
      held = new Promise((r) => {
        release = r;
      });
    },
    release: () => release(),
    receiver: {
      async handOff(req: Parameters<Fulfillment['handOff']>[0]) {
        calls.push(req.idempotencyKey);
        const wait = held;
        held = null; // only the first call waits
        if (wait) await wait;
        return inner().handOff(req);
      },
    } satisfies Fulfillment,
  };
}

/** `leases: 'written'` takes the store's in-memory leases away, as on DynamoDB: a dispatcher writes its lease. */
function setup(leases: 'held in memory' | 'written' = 'held in memory') {
  let deps: MemoryDeps;
  const r = heldReceiver(() => deps.sink);
  deps = makeDeps({ fulfillment: r.receiver, dispatchPolicy: { firstDeliverySeconds: 30 } });
  const writes: GiftDocument[] = [];
  const store = deps.store;
  const replace: typeof store.replace = async (next, expected) => {
    await store.replace(next, expected);
    writes.push(structuredClone(next));
  };
  deps = {
    ...deps,
    store: override(store, leases === 'written' ? { replace, effectLeases: undefined } : { replace }) as MemoryDeps['store'],
  };
  return { deps, r, writes };
}

async function claimed(deps: MemoryDeps): Promise<{ token: string; claim: Gift }> {
  const { gift } = await createGift(deps, { giverId: 'alice', body: { skuId: 'sku_scarf_blue', message: null } });
  const { claimToken } = await payGift(deps, 'alice', gift.id);
  deps.clock.advanceSeconds(1);
  return { token: claimToken!, claim: await claimGift(deps, 'bob', claimToken!) };
}

async function accepted(deps: MemoryDeps): Promise<Gift> {
  const { token } = await claimed(deps);
  deps.clock.advanceSeconds(1);
  await setGiftAddress(deps, 'bob', token, ADDRESS);
  deps.clock.advanceSeconds(1);
  return acceptGift(deps, 'bob', token); // the claim's notice is still pending here: its stream record was never run
}

const handoffOf = (g: GiftDocument) => g.effects.find((e) => e.kind === 'handoff')!;

describe('the stream first delivery', () => {
  it('calls the receivers without a lease and records attempt and outcome in one write', async () => {
    const { deps, r, writes } = setup();
    const image = await accepted(deps);
    expect(handoffOf(image)).toMatchObject({ status: 'pending', attempts: 0 });
    writes.length = 0;
    const report = await dispatchEffectsOf(deps, image);
    // The accept's handoff and notice; the claim's notice is its own record's (within its grace: left alone).
    expect(report).toMatchObject({ attempted: 2, succeeded: 2 });
    expect(writes).toHaveLength(1);
    expect(writes[0]!.version).toBe(image.version + 1);
    expect(handoffOf(writes[0]!)).toMatchObject({ status: 'done', attempts: 1 });
    expect(r.calls).toEqual([handoffOf(image).idempotencyKey]);
  });

  it('racing a scheduled pass within its grace: the pass leaves it alone, one call per attempt key', async () => {
    const { deps, r } = setup();
    const image = await accepted(deps);
    r.hold();
    const streamed = dispatchEffectsOf(deps, image);
    await new Promise((res) => setTimeout(res, 5)); // the stream is inside the receiver call
    const passes = await Promise.all([dispatchDueEffects(deps, 'handoff'), dispatchDueEffects(deps, 'notify')]);
    r.release();
    await streamed;
    expect(passes.map((p) => p.attempted)).toEqual([0, 0]);
    expect(r.calls).toHaveLength(1);
    expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: image.id, deliveries: 1 })]);
    expect(handoffOf((await deps.store.get(image.id))!)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a record arriving after the grace goes through the lease, racing the pass: one call', async () => {
    const { deps, r } = setup();
    const image = await accepted(deps);
    deps.clock.advanceSeconds(31);
    const [streamed, pass] = await Promise.all([dispatchEffectsOf(deps, image), dispatchDueEffects(deps, 'handoff')]);
    // The handoff once (whichever leased it), both notices by the stream's lease.
    expect(streamed.attempted + pass.attempted).toBe(3);
    expect(r.calls).toHaveLength(1);
    expect(handoffOf((await deps.store.get(image.id))!)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a delivery that outlives its grace meets the pass: same key, recorded once by the settle that finds it unattempted', async () => {
    const { deps, r } = setup();
    const image = await accepted(deps);
    r.hold();
    const streamed = dispatchEffectsOf(deps, image);
    await new Promise((res) => setTimeout(res, 5));
    deps.clock.advanceSeconds(31);
    const pass = await dispatchDueEffects(deps, 'handoff');
    r.release();
    await streamed;
    expect(pass.attempted).toBe(1);
    expect(new Set(r.calls)).toEqual(new Set([handoffOf(image).idempotencyKey]));
    expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: image.id })]);
    expect(handoffOf((await deps.store.get(image.id))!)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a crash between the call and the settle: the retried record delivers again with the same key, recorded once', async () => {
    const { deps, r, writes } = setup();
    const image = await accepted(deps);
    const store = deps.store;
    const crashing = failingFirstReplace(deps, () => true);
    await expect(dispatchEffectsOf(crashing, image)).rejects.toThrow();
    expect(handoffOf((await store.get(image.id))!)).toMatchObject({ status: 'pending', attempts: 0 });
    writes.length = 0;
    await dispatchEffectsOf(deps, image); // the stream retries the same record
    const key = handoffOf(image).idempotencyKey;
    expect(r.calls).toEqual([key, key]);
    expect(deps.sink.list()).toEqual([expect.objectContaining({ idempotencyKey: key, deliveries: 2 })]);
    expect(writes).toHaveLength(1);
    expect(handoffOf(writes[0]!)).toMatchObject({ status: 'done', attempts: 1 });
  });

  // 0 s: two writes in one instant (two requests within a millisecond, or a frozen clock), told apart by version.
  // -5 s: the later write ran where the clock lags the earlier writer's, so its updatedAt precedes the notice's createdAt.
  it("a later write's image does not deliver the earlier write's effect again, in either order, in one instant or lagging", async () => {
    const cases = [
      ['earlier first', 1],
      ['later first', 1],
      ['earlier first', 0],
      ['later first', 0],
      ['earlier first', -5],
      ['later first', -5],
    ] as const;
    for (const [order, laterBySeconds, leases] of cases.flatMap(([o, s]) => [
      [o, s, 'held in memory'] as const,
      [o, s, 'written'] as const,
    ])) {
      const setUp = setup(leases);
      // Every call counted: the sink's list keeps one notice per key, and WeChat's messages have no key to drop a repeat.
      const sent: string[] = [];
      const inner = setUp.deps.notifier;
      const notify: typeof inner.notify = (n) => {
        sent.push(`${n.event} ${n.idempotencyKey}`);
        return inner.notify(n);
      };
      const deps = { ...setUp.deps, notifier: override(inner, { notify }) };
      const { token, claim } = await claimed(deps);
      deps.clock.advanceSeconds(laterBySeconds);
      const later = await setGiftAddress(deps, 'bob', token, ADDRESS); // the notice is still pending in this image
      if (laterBySeconds < 0) deps.clock.advanceSeconds(1 - laterBySeconds); // the dispatchers' clocks agree with the claim's
      expect(later.effects.find((e) => e.id === 'notify:gift_claimed')).toMatchObject({ status: 'pending', attempts: 0 });
      const images = order === 'earlier first' ? [claim, later] : [later, claim];
      for (const image of images) await dispatchEffectsOf(deps, image);
      expect(
        sent.filter((n) => n.startsWith('gift_claimed')),
        `${order}, ${laterBySeconds} s later, leases ${leases}`,
      ).toHaveLength(1);
      const stored = (await deps.store.get(claim.id))!;
      expect(
        stored.effects.find((e) => e.id === 'notify:gift_claimed'),
        `${order}, ${laterBySeconds} s later, leases ${leases}`,
      ).toMatchObject({ status: 'done', attempts: 1 });
    }
  });

  for (const leases of ['written', 'held in memory'] as const) {
    it(`without a stream (firstDeliverySeconds 0) every attempt is leased, as before (leases ${leases})`, async () => {
      const deps = makeDeps();
      const writes: number[] = [];
      const store = deps.store;
      const replace = async (next: GiftDocument, expected: number) => {
        await store.replace(next, expected);
        writes.push(next.version);
      };
      // A store several processes share has no effectLeases: its dispatchers write the lease.
      const d = { ...deps, store: override(store, leases === 'written' ? { replace, effectLeases: undefined } : { replace }) };
      const image = await accepted(deps);
      await dispatchEffectsOf(d, image);
      expect(writes).toHaveLength(leases === 'written' ? 2 : 1); // lease and settle, or the settle alone
      expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: image.id, deliveries: 1 })]);
      expect((await store.get(image.id))!.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'done', attempts: 1 });
      expect(store.effectLeases.size).toBe(0);
    });
  }

  it("a refund's notice goes out only after the settle that records it: a crash before that write sends none", async () => {
    const { deps, writes } = setup();
    const { token } = await claimed(deps);
    deps.clock.advanceSeconds(1);
    const image = await declineGift(deps, 'bob', token);
    const crashing = failingFirstReplace(deps, (next) => next.effects.some((e) => e.kind === 'refund' && e.status === 'done'));
    const refunded = () => deps.notifier.list().filter((n) => n.event === 'gift_refunded');
    await expect(dispatchEffectsOf(crashing, image)).rejects.toThrow();
    // WeChat's subscription messages have no idempotency key: a notice sent before a write that never landed (or that
    // lost to REFUND.SUCCESS's write) would reach the giver a second time from the write that does record it.
    expect(refunded()).toHaveLength(0);
    writes.length = 0;
    await dispatchEffectsOf(deps, image); // the stream retries the record: the refund again, same number
    expect(deps.payments.listRefunds()).toHaveLength(1);
    expect(writes).toHaveLength(1);
    const settled = writes[0]!;
    expect(settled.effects.find((e) => e.id === 'refund')).toMatchObject({ status: 'done', attempts: 1, outcome: 'refunded' });
    expect(settled.effects.find((e) => e.id === 'notify:gift_refunded')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(refunded()).toHaveLength(0);
    await dispatchEffectsOf(deps, settled); // the settle's own record delivers the notice it recorded
    expect(refunded()).toHaveLength(1);
    expect(writes.at(-1)!.effects.find((e) => e.id === 'notify:gift_refunded')).toMatchObject({ status: 'done', attempts: 1 });
  });

  describe('a refund WeChat Pay answers PROCESSING', () => {
    /** The dev provider, but refunds are accepted and settle later (as a bank-card refund on WeChat Pay does). */
    function processingRefunds() {
      const { deps, writes } = setup();
      const asked: string[] = [];
      const payments = override(deps.payments, {
        async refund(req: RefundRequest): Promise<RefundState> {
          asked.push(req.refundNo);
          return { refundNo: req.refundNo, status: 'processing', refundId: `50${req.refundNo}`, amountFen: req.refundFen, settledAt: null };
        },
      });
      return { deps: { ...deps, payments }, writes, asked };
    }
    const refundOf = (g: GiftDocument) => g.effects.find((e) => e.kind === 'refund')!;

    it('is not recorded by the first delivery: REFUND.SUCCESS settles it with one write, then its notice goes', async () => {
      const { deps, writes, asked } = processingRefunds();
      const { token } = await claimed(deps);
      deps.clock.advanceSeconds(1);
      const image = await declineGift(deps, 'bob', token);
      writes.length = 0;
      expect(await dispatchEffectsOf(deps, image)).toMatchObject({ attempted: 1, succeeded: 1 });
      expect([asked, writes]).toEqual([[`${image.id}-refund`], []]); // asked once, nothing written
      const refund = refundOf((await deps.store.get(image.id))!);
      expect(refund).toMatchObject({ status: 'pending', attempts: 0 });

      const settledAt = deps.clock.now().toISOString();
      const refundNo = `${image.id}-refund`;
      const event = { refundNo, status: 'succeeded' as const, refundId: `50${refundNo}`, amountFen: image.priceFen, settledAt };
      await applyPaymentEvent(deps, { type: 'refund', orderNo: image.id, refund: event });
      expect(writes).toHaveLength(1);
      expect(refundOf(writes[0]!)).toMatchObject({ status: 'done', outcome: 'refunded', receipt: `50${refundNo}` });
      await dispatchEffectsOf(deps, writes[0]!); // that write's record sends the notice it released
      expect(deps.notifier.list().filter((n) => n.event === 'gift_refunded')).toHaveLength(1);
      // Nothing left for the scheduled pass after the grace: the refund was asked for once.
      deps.clock.advanceSeconds(31);
      expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ attempted: 0 });
      expect(asked).toHaveLength(1);
    });

    it('without a notification, the scheduled pass after the grace asks again under the same number and records PROCESSING', async () => {
      const { deps, asked } = processingRefunds();
      const { token } = await claimed(deps);
      deps.clock.advanceSeconds(1);
      const image = await declineGift(deps, 'bob', token);
      await dispatchEffectsOf(deps, image);
      deps.clock.advanceSeconds(10);
      expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ attempted: 0 }); // within the grace: left alone
      deps.clock.advanceSeconds(21);
      expect(await dispatchDueEffects(deps, 'refund')).toMatchObject({ attempted: 1, succeeded: 1 });
      expect(asked).toEqual([`${image.id}-refund`, `${image.id}-refund`]);
      expect(refundOf((await deps.store.get(image.id))!)).toMatchObject({
        status: 'pending',
        attempts: 1,
        providerStatus: 'processing',
        receipt: `50${image.id}-refund`,
      });
    });
  });
});

/** `deps` whose store loses the first replace that `matches` (the write never lands), as a crash before it would. */
function failingFirstReplace(deps: MemoryDeps, matches: (next: GiftDocument) => boolean): MemoryDeps {
  const store = deps.store;
  let failed = false;
  return {
    ...deps,
    store: override(store, {
      async replace(next, expected) {
        if (!failed && matches(next)) {
          failed = true;
          throw new StoreUnavailableError('replace', new Error('connection reset'));
        }
        await store.replace(next, expected);
      },
    }),
  };
}
