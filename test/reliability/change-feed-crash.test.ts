/**
 * Crash injection on the change-feed path: the first delivery of each effect is the local change feed's (right after
 * the commit that recorded it, without a lease: the committed image is its proof), and the process dies at each step
 * of it: right after the commit (the queue is lost), while the receiver answers, after the receiver but before the
 * settle. Crashes after a scheduled pass's lease are crash-injection.test.ts's. Recovery is a new server on
 * the same DATA_DIR and its scheduled pass: every effect is kept exactly once by its receiver. The feed racing the
 * scheduled pass delivers each effect once too. Both embedded on-disk stores: dynalite (the scheduled pass writes its
 * leases) and LevelDB (it holds them in memory, ports/effect-leases.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import type { EffectKind } from '../../shared/domain/gift';
import type { GiftDocument } from '../../shared/domain/gift-document';
import type { Deps } from '../../shared/ports/deps';
import { receivedEffect } from '../support/effect-receivers';
import { ADDRESS, sendGift, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';
import { override } from '../support/override';

class Crash extends Error {}
const STEPS = ['after-commit', 'during-receiver', 'after-receiver'] as const;
type Step = (typeof STEPS)[number];
const KINDS: EffectKind[] = ['handoff', 'refund', 'notify'];
const STORES = ['dynalite', 'leveldb'] as const;
const feedOn = (store: (typeof STORES)[number]) => ({ LOCAL_CHANGE_FEED: 'true', LOCAL_STORE: store });
const dirs: Array<ReturnType<typeof tempDataDir>> = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

function freshCase(): { dataDir: string; clock: FixedClock } {
  const tmp = tempDataDir();
  dirs.push(tmp);
  return { dataDir: tmp.dir, clock: new FixedClock(T0) };
}

const effectOf = (g: GiftDocument, kind: EffectKind) =>
  g.effects.find((e) => (kind === 'notify' ? e.id === 'notify:gift_claimed' : e.kind === kind));

/** Deps whose process "dies" at `step` of delivering the effect of `kind`; `crashed()` tells whether it did. */
function crashAt(step: Step, kind: EffectKind) {
  let dead = false;
  const alive = () => {
    if (dead) throw new Crash('the process is gone');
  };
  const wrap = (deps: Deps): Deps => {
    const store = deps.store;
    const receiver = async <T>(deliver: () => Promise<T>, matches: boolean): Promise<T> => {
      alive();
      if (!matches || step !== 'during-receiver') return deliver();
      await deliver(); // the receiver has it ...
      dead = true; // ... and the process dies before hearing back
      throw new Crash('died while the receiver answered');
    };
    const guarded = new Proxy(store, {
      get(t, key) {
        const value = Reflect.get(t, key);
        if (key === 'replace') {
          return async (next: GiftDocument, expected: number) => {
            alive();
            const e = effectOf(next, kind);
            if (step === 'after-receiver' && e?.status === 'done') {
              dead = true;
              throw new Crash('died before recording the delivery');
            }
            if (step === 'after-commit' && e?.status === 'pending' && e.attempts === 0 && !e.lastError) {
              // Dead from the instant this write is on its way: it commits, nothing after it runs (the feed's queue is lost).
              const commit = store.replace(next, expected);
              dead = true;
              return commit;
            }
            await store.replace(next, expected);
          };
        }
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          alive();
          return value.apply(t, args);
        };
      },
    });
    return {
      ...deps,
      store: guarded,
      fulfillment: { handOff: (req) => receiver(() => deps.fulfillment.handOff(req), kind === 'handoff') },
      payments: override(deps.payments, { refund: (req) => receiver(() => deps.payments.refund(req), kind === 'refund') }),
      notifier: { notify: (req) => receiver(() => deps.notifier.notify(req), kind === 'notify' && req.event === 'gift_claimed') },
    };
  };
  return { wrap, crashed: () => dead };
}

/**
 * Records the effect of `kind` for a fresh gift through the HTTP API. Each step waits for the feed to go quiet, so the
 * command that records the effect commits (racing the feed's writes for the claim's notice, it might retry after the
 * crash point and never commit: nothing to deliver, a case that proves nothing).
 */
async function produce(t: TestServer, kind: EffectKind, n: number): Promise<string> {
  const friend = `friend_${kind}_${n}`;
  const { giftId, token } = await sendGift(t, `giver_${kind}_${n}`);
  const step = async (method: string, path: string, body?: unknown) => {
    await t.api(method, `/claims/${token}/${path}`, { as: friend, body });
    await t.server.changeFeedIdle();
  };
  await step('POST', 'claim');
  if (kind === 'handoff') {
    await step('PUT', 'address', ADDRESS);
    await step('POST', 'accept');
  }
  if (kind === 'refund') await step('POST', 'decline');
  return giftId;
}

describe('crash injection, first delivery by the change feed', () => {
  const results: string[] = [];
  afterAll(() => {
    console.log(
      `change-feed crash injection: ${results.length} cases, each effect kept exactly once after recovery; ${results.join(', ')}`,
    );
  });

  for (const store of STORES)
    for (const kind of KINDS) {
      for (const step of STEPS) {
        it(`${store}: ${kind}: crash ${step}`, async () => {
          const FEED = feedOn(store);
          const { dataDir, clock } = freshCase();
          const crash = crashAt(step, kind);
          const first = await startTestServer({ dataDir, clock, env: FEED, wrapDeps: crash.wrap });
          const giftId = await produce(first, kind, 0);
          await first.server.changeFeedIdle();
          expect(crash.crashed(), `${kind} ${step}: the feed reached the crash point`).toBe(true);
          await first.stop();

          const second = await startTestServer({ dataDir, clock, env: FEED });
          try {
            clock.advanceSeconds(61); // past the feed's first-delivery grace (30 s) and any lease
            await second.server.runMaintenance();
            await second.server.runMaintenance();
            await second.server.changeFeedIdle();
            const got = receivedEffect(second, kind, giftId);
            expect(got.kept, `${kind} ${step}`).toBe(1);
            results.push(`${store}/${kind}/${step}: ${got.calls} call(s)`);
            expect(effectOf((await second.server.deps.store.get(giftId))!, kind)).toMatchObject({ status: 'done' });
          } finally {
            await second.stop();
          }
        });
      }
    }

  for (const store of STORES)
    it(`${store}: the feed racing the scheduled pass delivers every effect once, with one receiver call each`, async () => {
      const { dataDir, clock } = freshCase();
      const t = await startTestServer({ dataDir, clock, env: feedOn(store) });
      try {
        const ids: string[] = [];
        const passes: Array<Promise<unknown>> = [];
        for (let n = 0; n < 12; n++) {
          ids.push(await produce(t, 'handoff', n));
          passes.push(t.server.runMaintenance());
        }
        await Promise.all(passes);
        await t.server.changeFeedIdle();
        await t.server.runMaintenance();
        for (const id of ids) expect(receivedEffect(t, 'handoff', id)).toEqual({ kept: 1, calls: 1 });
      } finally {
        await t.stop();
      }
    });
});
