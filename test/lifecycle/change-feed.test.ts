/**
 * The local change feed: an effect leaves right after the commit that recorded it, through the same dispatch as the
 * timers: a first delivery without a lease, one settling write for all of a document's due effects; off, effects wait
 * for a pass.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { GiftDocument } from '../../shared/domain/gift-document';
import type { Deps } from '../../shared/ports/deps';
import { claimAndAccept, sendGift, startTestServer, tempDataDir } from '../support/http-harness';
import { override } from '../support/override';

const dirs: Array<ReturnType<typeof tempDataDir>> = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});
const dataDir = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d.dir;
};

/** Every gift write (its copy as written), to see what the dispatcher wrote after the use case. */
function recordWrites(writes: GiftDocument[]) {
  return (deps: Deps): Deps => ({
    ...deps,
    store: override(deps.store, {
      async replace(next, expected) {
        await deps.store.replace(next, expected);
        writes.push(structuredClone(next));
      },
    }),
  });
}

describe('local change feed', () => {
  it('delivers the handoff and the giver notice of 收下礼物 at once, without a lease, settling both in one write', async () => {
    const writes: GiftDocument[] = [];
    const t = await startTestServer({ dataDir: dataDir(), env: { LOCAL_CHANGE_FEED: 'true' }, wrapDeps: recordWrites(writes) });
    try {
      const { giftId, token } = await sendGift(t, 'giver_feed');
      await claimAndAccept(t, 'friend_feed', token);
      await t.server.changeFeedIdle();

      expect(t.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId)).toHaveLength(1);
      const notices = t.server.dev.notifier
        .list()
        .filter((n) => n.giftId === giftId)
        .map((n) => n.event);
      expect(notices.sort()).toEqual(['gift_accepted', 'gift_claimed']);

      const mine = writes.filter((w) => w.id === giftId);
      const accepted = mine.findIndex((w) => w.status === 'accepted');
      const after = mine.slice(accepted + 1);
      // The accept's two effects: delivered at once (the committed image is the proof), settled together with their
      // attempt counted (one write), nothing more: no lease write.
      expect(after).toHaveLength(1);
      const ids = ['handoff', 'notify:gift_accepted'];
      const pick = (w: GiftDocument) => w.effects.filter((e) => ids.includes(e.id));
      expect(pick(mine[accepted]!).map((e) => [e.status, e.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
      ]);
      expect(pick(after[0]!).map((e) => [e.status, e.attempts])).toEqual([
        ['done', 1],
        ['done', 1],
      ]);
      expect(after[0]!.version).toBe(mine[accepted]!.version + 1);
      // Nothing left for the scheduled pass.
      const report = await t.server.runMaintenance();
      expect(Object.values(report.dispatched).map((r) => (r as { attempted: number }).attempted)).toEqual([0, 0, 0]);
    } finally {
      await t.stop();
    }
  });

  it('a receiver failure is retried by the scheduled pass after its backoff, and the feed does not loop on it', async () => {
    let calls = 0;
    const t = await startTestServer({
      dataDir: dataDir(),
      env: { LOCAL_CHANGE_FEED: 'true' },
      fulfillment: (real) => ({
        handOff: async (req) => {
          calls++;
          if (calls === 1) throw new Error('merchant down');
          return real.handOff(req);
        },
      }),
    });
    try {
      const { giftId, token } = await sendGift(t, 'giver_retry');
      await claimAndAccept(t, 'friend_retry', token);
      await t.server.changeFeedIdle();
      const failed = (await t.server.deps.store.get(giftId))!.effects.find((e) => e.id === 'handoff')!;
      expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('merchant down') });
      expect(calls).toBe(1);
      t.clock.advanceSeconds(60);
      await t.server.runMaintenance();
      expect((await t.server.deps.store.get(giftId))!.effects.find((e) => e.id === 'handoff')).toMatchObject({
        status: 'done',
        attempts: 2,
      });
      expect(t.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('off (LOCAL_CHANGE_FEED=false), effects wait for the dispatchers', async () => {
    const t = await startTestServer({ dataDir: dataDir() });
    try {
      const { giftId, token } = await sendGift(t, 'giver_off');
      await claimAndAccept(t, 'friend_off', token);
      await t.server.changeFeedIdle();
      expect(t.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId)).toHaveLength(0);
      await t.server.runMaintenance();
      expect(t.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});
