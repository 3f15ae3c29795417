/**
 * A crash at every step between a state write and its side effect, for every kind of effect. The process
 * is the local server on an embedded on-disk store: DynamoDB (dynalite), whose dispatchers write their leases, and
 * LevelDB, whose dispatchers hold them in memory (ports/effect-leases.ts); a crash makes its store and receivers fail from that
 * instant (nothing after it happens), and recovery is a new server on the same DATA_DIR. Receivers are the
 * journaled local ones, which keep the first delivery per idempotency key, as a merchant must.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import type { EffectKind } from '../../shared/domain/gift';
import type { GiftDocument } from '../../shared/domain/gift-document';
import type { Deps } from '../../shared/ports/deps';
import { receivedEffect } from '../support/effect-receivers';
import { ADDRESS, sendGift, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';
import { override } from '../support/override';

class Crash extends Error {}
const STEPS = ['after-state-write', 'after-lease', 'during-receiver', 'after-receiver'] as const;
const STORES = ['dynalite', 'leveldb'] as const;
type Step = (typeof STEPS)[number];
const KINDS: EffectKind[] = ['handoff', 'refund', 'notify'];
const GIFTS_PER_CASE = 3;
const dirs: Array<ReturnType<typeof tempDataDir>> = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

/** A new DATA_DIR for one case (removed after the file) and a clock frozen at T0. */
function freshCase(): { dataDir: string; clock: FixedClock } {
  const tmp = tempDataDir();
  dirs.push(tmp);
  return { dataDir: tmp.dir, clock: new FixedClock(T0) };
}

const effectOf = (g: GiftDocument, kind: EffectKind) =>
  g.effects.find((e) => (kind === 'notify' ? e.id === 'notify:gift_claimed' : e.kind === kind));
const isEffectOf = (effectId: string, kind: EffectKind) => (kind === 'notify' ? effectId === 'notify:gift_claimed' : effectId === kind);

/** Wraps deps so that the process "dies" at `step` of delivering an effect of `kind`. */
function crashAt(step: Step, kind: EffectKind) {
  return (deps: Deps): Deps => {
    let dead = false;
    const alive = () => {
      if (dead) throw new Crash('the process is gone');
    };
    const store = deps.store;
    const leases = store.effectLeases;
    const receiver = async <T>(deliver: () => Promise<T>, matches: boolean): Promise<T> => {
      alive();
      if (!matches || step !== 'during-receiver') return deliver();
      const _out = await deliver(); // the receiver has it ...
      dead = true; // ... and the process dies before hearing back
      throw new Crash('died while the receiver answered');
    };
    return {
      ...deps,
      store: beforeEachCall(store, alive, {
        async replace(next, expected) {
          alive();
          const e = effectOf(next, kind);
          if (step === 'after-receiver' && e?.status === 'done') {
            dead = true;
            throw new Crash('died before recording the delivery');
          }
          await store.replace(next, expected);
          if (step === 'after-lease' && e?.status === 'pending' && e.attempts === 1) dead = true; // lease written, call never made
        },
        // A lease held in memory: the process dies once it holds the effect, before calling the receiver.
        ...(leases && {
          effectLeases: {
            hold(docId, effectIds, now, until) {
              alive();
              const held = leases.hold(docId, effectIds, now, until);
              if (step === 'after-lease' && held.some((id) => isEffectOf(id, kind))) dead = true;
              return held;
            },
            release: (docId, effectIds) => leases.release(docId, effectIds),
          },
        }),
      }),
      fulfillment: { handOff: (req) => receiver(() => deps.fulfillment.handOff(req), kind === 'handoff') },
      payments: override(deps.payments, { refund: (req) => receiver(() => deps.payments.refund(req), kind === 'refund') }),
      notifier: { notify: (req) => receiver(() => deps.notifier.notify(req), kind === 'notify' && req.event === 'gift_claimed') },
    };
  };
}

/** `target` with `before()` run ahead of each of its methods, and some methods replaced. */
function beforeEachCall<T extends object>(target: T, before: () => void, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(t, key) {
      if (key in replaced) return replaced[key as keyof T];
      const value = Reflect.get(t, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        before();
        return value.apply(t, args);
      };
    },
  });
}

/** Records the effect of `kind` for a fresh gift through the HTTP API. */
async function produce(t: TestServer, kind: EffectKind, n: number): Promise<string> {
  const friend = `friend_${kind}_${n}`;
  const { giftId, token } = await sendGift(t, `giver_${kind}_${n}`);
  await t.api('POST', `/claims/${token}/claim`, { as: friend });
  if (kind === 'handoff') {
    await t.api('PUT', `/claims/${token}/address`, { as: friend, body: ADDRESS });
    await t.api('POST', `/claims/${token}/accept`, { as: friend });
  }
  if (kind === 'refund') await t.api('POST', `/claims/${token}/decline`, { as: friend });
  return giftId;
}

describe('crash injection', () => {
  const results: string[] = [];
  afterAll(() => {
    const calls = STEPS.map(
      (step) => `${step} ${[...new Set(results.filter((r) => r.startsWith(`${step}:`)).map((r) => r.split(': ')[1]))].sort().join('/')}`,
    );
    console.log(
      `crash injection: ${results.length} cases (${STORES.length} stores × ${KINDS.length} effects × ${STEPS.length} crash points × ` +
        `${GIFTS_PER_CASE} gifts), ` +
        `each kept exactly once by its receiver after recovery; calls the receiver saw per effect: ${calls.join(', ')}`,
    );
  });

  for (const storeKind of STORES)
    for (const kind of KINDS) {
      for (const step of STEPS) {
        it(`${storeKind}: ${kind}: crash ${step}`, async () => {
          const { dataDir, clock } = freshCase();
          const env = { LOCAL_STORE: storeKind };
          const first = await startTestServer({
            dataDir,
            clock,
            env,
            wrapDeps: step === 'after-state-write' ? undefined : crashAt(step, kind),
          });
          const ids: string[] = [];
          for (let n = 0; n < GIFTS_PER_CASE; n++) ids.push(await produce(first, kind, n));
          if (step !== 'after-state-write') await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash);
          await first.stop();

          const second = await startTestServer({ dataDir, clock, env });
          try {
            clock.advanceSeconds(61); // past any lease the dead process held
            await second.server.runMaintenance();
            await second.server.runMaintenance();
            for (const id of ids) {
              const got = receivedEffect(second, kind, id);
              expect(got.kept, `${kind} ${step} ${id}`).toBe(1);
              results.push(`${step}: ${got.calls}`);
              expect(effectOf((await second.server.deps.store.get(id))!, kind)).toMatchObject({ status: 'done' });
            }
          } finally {
            await second.stop();
          }
        });
      }
    }
});

describe('slow, timing-out and failing receivers', () => {
  it('a webhook slower than the timeout is retried with the same key and kept once', async () => {
    let calls = 0;
    const kept = new Map<string, number>();
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const n = ++calls;
        const key = req.headers['idempotency-key'] as string;
        kept.set(key, (kept.get(key) ?? 0) + 1); // processed even though the caller gave up waiting
        setTimeout(() => res.writeHead(200).end('{}'), n === 1 ? 400 : 5);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { dataDir, clock } = freshCase();
    const t = await startTestServer({
      dataDir,
      clock,
      env: {
        FULFILLMENT_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        FULFILLMENT_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
        FULFILLMENT_WEBHOOK_TIMEOUT_MS: '100',
      },
    });
    try {
      const giftId = await produce(t, 'handoff', 0);
      await t.server.runMaintenance();
      const afterTimeout = effectOf((await t.server.deps.store.get(giftId))!, 'handoff')!;
      expect(afterTimeout).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/abort|timeout/i) });
      clock.advanceSeconds(5);
      await t.server.runMaintenance();
      expect(effectOf((await t.server.deps.store.get(giftId))!, 'handoff')).toMatchObject({ status: 'done', attempts: 2 });
      expect([...kept.entries()]).toEqual([[`songli:${giftId}:handoff`, 2]]);
      console.log(`receivers: a webhook answering in 400 ms against a 100 ms timeout → 2 calls, 1 idempotency key, effect done`);
    } finally {
      await t.stop();
      server.close();
    }
  });

  it('refunds and notifications that exhaust their retries stay visible as failed with the last error', async () => {
    const { dataDir, clock } = freshCase();
    const t = await startTestServer({
      dataDir,
      clock,
      env: { DISPATCH_MAX_ATTEMPTS: '3' },
      wrapDeps: (d) => ({
        ...d,
        payments: override(d.payments, { refund: async () => Promise.reject(new Error('WeChat Pay: SYSTEMERROR')) }),
        notifier: { notify: async () => Promise.reject(new Error('subscription message quota exceeded')) },
      }),
    });
    try {
      const giftId = await produce(t, 'refund', 0);
      for (let i = 0; i < 8; i++, clock.advanceSeconds(3_600)) await t.server.runMaintenance();
      const view = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_refund_0' });
      expect(view.body.gift.refund).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Error: WeChat Pay: SYSTEMERROR' });
      const gift = (await t.server.deps.store.get(giftId))!;
      // The recipient's reminder was canceled by the decline; every notice that was due failed visibly.
      const due = gift.effects.filter((e) => e.kind === 'notify' && e.status !== 'canceled');
      expect(due.length).toBeGreaterThan(0);
      expect(due.every((e) => e.status === 'failed' && e.lastError === 'Error: subscription message quota exceeded')).toBe(true);
      expect((await t.server.deps.store.listDue('refund', clock.now().toISOString(), 10)).items).toEqual([]); // given up: out of the queue
    } finally {
      await t.stop();
    }
  });
});
