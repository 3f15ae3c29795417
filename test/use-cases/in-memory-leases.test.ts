/**
 * Effect leases held in memory (ports/effect-leases.ts) on the stores only one process can open: the memory store and
 * embedded LevelDB. No lease is written: one compare-and-set settles each delivery. Two dispatchers of one process
 * still never both deliver, and a crash between the delivery and the settle loses the lease like an expired one: the
 * effect is still pending in the document and goes out again under its same idempotency key, kept once.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import type { GiftDocument } from '../../shared/domain/gift-document';
import { accept } from '../../shared/domain/gift-transitions';
import type { Fulfillment } from '../../shared/ports/fulfillment';
import type { GiftStore } from '../../shared/ports/gift-store';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { tempDataDir } from '../support/http-harness';
import { addressedGift, type MemoryDeps, makeDeps, RECIPIENT, T0 } from '../support/memory-deps';
import { override } from '../support/override';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

class Crash extends Error {}

/** A handoff receiver whose first call waits until released; counts every call it gets per key. */
function gatedReceiver(deps: () => MemoryDeps) {
  const calls: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  let entered!: () => void;
  const firstCall = new Promise<void>((r) => {
    entered = r;
  });
  const receiver: Fulfillment = {
    async handOff(req) {
      calls.push(req.idempotencyKey);
      if (calls.length === 1) {
        entered();
        await gate;
      }
      return deps().sink.handOff(req);
    },
  };
  return { calls, receiver, firstCall, open };
}

const STORES: Array<[string, () => Promise<{ store: MemoryGiftStore | LevelDbGiftStore; close(): Promise<void> }>]> = [
  ['memory', async () => ({ store: new MemoryGiftStore(), close: async () => undefined })],
  [
    'embedded LevelDB',
    async () => {
      const db = await openLevelDb(join(tmp.dir, `two-${Math.random().toString(36).slice(2)}`));
      return { store: new LevelDbGiftStore(db), close: () => db.close() };
    },
  ],
];

describe('effect leases held in memory', () => {
  for (const [name, open] of STORES) {
    it(`${name}: a second dispatcher of the process delivers nothing while the first holds the effect`, async () => {
      const { store, close } = await open();
      try {
        expect(store.effectLeases).toBeDefined();
        let deps!: MemoryDeps;
        const r = gatedReceiver(() => deps);
        deps = { ...makeDeps({ fulfillment: r.receiver }), store } as MemoryDeps;
        const gift = accept(addressedGift(), RECIPIENT, T0);
        await store.insert(gift);

        const first = dispatchDueEffects(deps, 'handoff');
        await r.firstCall; // the first dispatcher holds the handoff and is inside the receiver
        // Still due in the document (no lease was written), so the second finds it, and must leave it alone.
        expect((await store.get(gift.id))!.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'pending', attempts: 0 });
        expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 0 });
        r.open();
        expect(await first).toMatchObject({ attempted: 1, succeeded: 1 });

        expect(r.calls).toEqual([`songli:${gift.id}:handoff`]);
        expect((await store.get(gift.id))!.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'done', attempts: 1 });
        expect(store.effectLeases.size).toBe(0);
        // Settled and let go: a later pass finds nothing to deliver.
        expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 0 });
        expect(r.calls).toHaveLength(1);
      } finally {
        await close();
      }
    });
  }

  it('a dispatcher that found the effect before another settled it does not deliver it again', async () => {
    const deps = makeDeps();
    const gift = accept(addressedGift(), RECIPIENT, T0);
    await deps.store.insert(gift);
    const stale = (await deps.store.get(gift.id))!;
    const store = deps.store;
    // The second run's page was read before the first run settled: it still shows the handoff pending.
    const staleListing = override(store as GiftStore, {
      listDue: async () => ({ items: [stale], next: null }),
    });
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 1 });
    expect(await dispatchDueEffects({ ...deps, store: staleListing }, 'handoff')).toMatchObject({ attempted: 0 });
    expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: gift.id, deliveries: 1 })]);
  });

  it('an expired lease is taken over like a written one (same idempotency key, kept once)', async () => {
    let deps!: MemoryDeps;
    const r = gatedReceiver(() => deps);
    deps = makeDeps({ fulfillment: r.receiver });
    const gift = accept(addressedGift(), RECIPIENT, T0);
    await deps.store.insert(gift);
    const first = dispatchDueEffects(deps, 'handoff');
    await r.firstCall;
    deps.clock.advanceSeconds(deps.dispatchPolicy.leaseSeconds + 1);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 1, succeeded: 1 });
    r.open();
    await first;
    expect(r.calls).toEqual([`songli:${gift.id}:handoff`, `songli:${gift.id}:handoff`]);
    expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: gift.id, deliveries: 2 })]);
    // The attempt is recorded once: the late settle finds it counted by the other dispatcher and leaves it.
    expect((await deps.store.get(gift.id))!.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('embedded LevelDB: a crash between the delivery and the settle still delivers exactly once after a restart', async () => {
    const path = join(tmp.dir, 'crash');
    const deps = makeDeps();
    const gift = accept(addressedGift(), RECIPIENT, T0);
    const writes: GiftDocument[] = [];

    // First process: the receiver gets the handoff, then the process dies before its settle is written.
    const db1 = await openLevelDb(path);
    const store1 = new LevelDbGiftStore(db1);
    await store1.insert(gift);
    const dying = override(store1 as GiftStore, {
      async replace(next) {
        writes.push(next);
        throw new Crash('the process died before recording the delivery');
      },
    });
    await expect(dispatchDueEffects({ ...deps, store: dying }, 'handoff')).rejects.toBeInstanceOf(Crash);
    await db1.close();
    expect(writes).toHaveLength(1); // the settle alone: no lease was ever written
    expect(deps.sink.list()).toEqual([expect.objectContaining({ giftId: gift.id, deliveries: 1 })]);

    // Second process on the same data: the handoff is still pending and unattempted, so it goes out again.
    const db2 = await openLevelDb(path);
    try {
      const store2 = new LevelDbGiftStore(db2);
      expect((await store2.get(gift.id))!.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await dispatchDueEffects({ ...deps, store: store2 }, 'handoff')).toMatchObject({ attempted: 1, succeeded: 1 });
      const received = deps.sink.list();
      expect(received).toEqual([expect.objectContaining({ giftId: gift.id, idempotencyKey: `songli:${gift.id}:handoff`, deliveries: 2 })]);
      expect((await store2.get(gift.id))!.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'done', attempts: 1 });
      expect(await dispatchDueEffects({ ...deps, store: store2 }, 'handoff')).toMatchObject({ attempted: 0 });
    } finally {
      await db2.close();
    }
  });
});
