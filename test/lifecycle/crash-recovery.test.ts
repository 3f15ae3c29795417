/**
 * Crashes injected between a state write and its side effect. The "process" is the local server; a crash is
 * the server stopping (or its store dying mid-dispatch) and a restart is a new server on the same DATA_DIR.
 */
import { afterEach, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import type { GiftDocument } from '../../shared/domain/gift-document';
import type { Deps } from '../../shared/ports/deps';
import { claimAndAccept, sendGift, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';

const dirs: Array<ReturnType<typeof tempDataDir>> = [];
const running: TestServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop().catch(() => undefined);
  for (const d of dirs.splice(0)) d.remove();
});

async function boot(dataDir: string, clock: FixedClock, wrapDeps?: (d: Deps) => Deps) {
  const t = await startTestServer({ dataDir, clock, wrapDeps });
  running.push(t);
  return t;
}

class Crash extends Error {}

/** A store that "dies" (every call throws) from the moment `when` sees a matching write. */
function dyingStore(when: (next: GiftDocument) => boolean) {
  return (deps: Deps): Deps => {
    let dead = false;
    const s = deps.store;
    const guard = <T>(fn: () => Promise<T>) => (dead ? Promise.reject(new Crash('process is gone')) : fn());
    return {
      ...deps,
      store: {
        get: (id) => guard(() => s.get(id)),
        insert: (g) => guard(() => s.insert(g)),
        replace: (g, v) =>
          guard(() => {
            if (when(g)) {
              dead = true;
              return Promise.reject(new Crash('crashed before the write'));
            }
            return s.replace(g, v);
          }),
        listByGiver: (...a) => guard(() => s.listByGiver(...a)),
        listByRecipient: (...a) => guard(() => s.listByRecipient(...a)),
        getByClaim: (...a) => guard(() => s.getByClaim(...a)),
        listDue: (...a) => guard(() => s.listDue(...a)),
      },
    };
  };
}

it('hands off exactly once when the process dies after accept and before any dispatch', async () => {
  const tmp = tempDataDir();
  dirs.push(tmp);
  const clock = new FixedClock(T0);
  const first = await boot(tmp.dir, clock);
  const { giftId, token } = await sendGift(first, 'giver_c1');
  await claimAndAccept(first, 'friend_c1', token);
  await first.stop(); // crash: the handoff is recorded in the gift, nothing was dispatched

  const second = await boot(tmp.dir, clock);
  expect(second.server.dev.fulfillmentSink!.list()).toEqual([]);
  await second.server.runMaintenance();
  await second.server.runMaintenance();
  const received = second.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId);
  expect(received).toHaveLength(1);
  expect(received[0]!.deliveries).toBe(1);
  expect((await second.server.deps.store.get(giftId))!.effects.find((e) => e.kind === 'handoff')).toMatchObject({
    status: 'done',
    attempts: 1,
  });
});

it('hands off exactly once when the process dies after the receiver got it but before recording done', async () => {
  const tmp = tempDataDir();
  dirs.push(tmp);
  const clock = new FixedClock(T0);
  const isHandoffDone = (g: GiftDocument) => g.effects.some((e) => e.kind === 'handoff' && e.status === 'done');
  const first = await boot(tmp.dir, clock, dyingStore(isHandoffDone));
  const { giftId, token } = await sendGift(first, 'giver_c2');
  await claimAndAccept(first, 'friend_c2', token);
  await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash);
  expect(first.server.dev.fulfillmentSink!.list().map((h) => h.giftId)).toEqual([giftId]); // the receiver has it
  await first.stop();

  const second = await boot(tmp.dir, clock);
  await second.server.runMaintenance();
  // Still inside the first attempt's lease: nobody starts a second attempt yet.
  expect(second.server.dev.fulfillmentSink!.list()[0]!.deliveries).toBe(1);
  clock.advanceSeconds(61);
  await second.server.runMaintenance();
  await second.server.runMaintenance();

  const received = second.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId);
  expect(received).toHaveLength(1); // one handoff at the receiver ...
  expect(received[0]!.deliveries).toBe(2); // ... delivered twice with the same idempotency key
  expect((await second.server.deps.store.get(giftId))!.effects.find((e) => e.kind === 'handoff')).toMatchObject({
    status: 'done',
    attempts: 2,
  });
});

it('refunds exactly once when the process dies after the refund call and before recording done', async () => {
  const tmp = tempDataDir();
  dirs.push(tmp);
  const clock = new FixedClock(T0);
  const isRefundDone = (g: GiftDocument) => g.effects.some((e) => e.kind === 'refund' && e.status === 'done');
  const first = await boot(tmp.dir, clock, dyingStore(isRefundDone));
  const { giftId, token } = await sendGift(first, 'giver_c3');
  await first.api('POST', `/claims/${token}/claim`, { as: 'friend_c3' });
  expect((await first.api('POST', `/claims/${token}/decline`, { as: 'friend_c3' })).status).toBe(200);
  await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash);
  await first.stop();

  clock.advanceSeconds(61);
  const second = await boot(tmp.dir, clock);
  await second.server.runMaintenance();
  await second.server.runMaintenance();
  const refunds = second.server.dev.payments!.listRefunds().filter((r) => r.giftId === giftId);
  expect(refunds).toHaveLength(1);
  expect(refunds[0]).toMatchObject({ requests: 2, amountFen: 29_900, reason: 'declined' });
  const view = await second.api('GET', `/gifts/${giftId}`, { as: 'giver_c3' });
  expect(view.body.gift.refund).toMatchObject({ status: 'done', attempts: 2 });
});

it('expires and refunds once when the process dies after the cleanup wrote the expiry', async () => {
  const tmp = tempDataDir();
  dirs.push(tmp);
  const clock = new FixedClock(T0);
  const first = await boot(
    tmp.dir,
    clock,
    dyingStore((g) => g.effects.some((e) => e.kind === 'refund' && e.attempts > 0)),
  );
  const { giftId } = await sendGift(first, 'giver_c4');
  clock.advanceSeconds(86_400);
  await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash); // expiry written, refund lease not
  await first.stop();

  const second = await boot(tmp.dir, clock);
  await second.server.runMaintenance();
  expect(second.server.dev.payments!.listRefunds().filter((r) => r.giftId === giftId)).toEqual([
    expect.objectContaining({ reason: 'expired', requests: 1 }),
  ]);
});
