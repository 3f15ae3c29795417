/**
 * The DynamoDB adapter on DynamoDB Local (Amazon's own engine, from the jar in amplify-dynamodb-simulator):
 * the store contract, and the use-case races that the HTTP tests run on dynalite. One engine for the file.
 * Needs `java`; without it every test here fails with how to install a JRE (CI installs one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { AppError } from '../../shared/domain/errors';
import { AddressBody } from '../../shared/schemas/address';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { type DynamoDbLocal, startDynamoDbLocal } from '../support/dynamodb-local';
import { type MemoryDeps, makeDeps } from '../support/memory-deps';
import { giftStoreContract } from './gift-store-contract';

let engine: Promise<DynamoDbLocal> | undefined;
/** Started by whichever suite needs it first, closed once when the file is done. */
const local = () =>
  (engine ??= startDynamoDbLocal().then((e) => {
    console.log(`DynamoDB Local answered ${e.startupMs} ms after spawning java`);
    return e;
  }));
afterAll(async () => {
  if (engine) await (await engine.catch(() => null))?.close();
});

giftStoreContract('DynamoDB on DynamoDB Local (in memory)', async () => {
  const { client } = await local();
  await ensureGiftsTable(client, 'gifts-contract');
  return { store: new DynamoDbGiftStore(client, 'gifts-contract', { timerShards: 3 }), close: async () => {} };
});

const tally = (xs: string[]) => Object.fromEntries([...new Set(xs)].sort().map((c) => [c, xs.filter((x) => x === c).length]));
const outcome = (r: PromiseSettledResult<unknown>) =>
  r.status === 'fulfilled' ? 'ok' : r.reason instanceof AppError ? r.reason.code : `unexpected: ${String(r.reason)}`;
/** Starts after 0–`maxMs` ms, so which racer reaches the engine first varies run to run. */
const jittered = <T>(maxMs: number, run: () => Promise<T>) =>
  new Promise<T>((resolve, reject) => setTimeout(() => run().then(resolve, reject), Math.random() * maxMs));
const ADDRESS = AddressBody.parse({ name: '王五', phone: '13900139000', regionCode: '310104', detail: '漕溪北路 88 号' });

describe('use-case races on DynamoDB Local', () => {
  const TABLE = 'gifts-races';
  type RaceDeps = Omit<MemoryDeps, 'store'> & { store: DynamoDbGiftStore };
  let deps: RaceDeps;
  beforeAll(async () => {
    const { client } = await local();
    await ensureGiftsTable(client, TABLE);
  });
  const freshDeps = async (): Promise<RaceDeps> => {
    const { client } = await local();
    // The memory deps (frozen clock, dev payments, sinks) with the store swapped for DynamoDB.
    return { ...makeDeps(), store: new DynamoDbGiftStore(client, TABLE) };
  };
  const sent = async (d: RaceDeps, giver: string, skuId = 'sku_scarf_blue') => {
    const { gift } = await createGift(d, { giverId: giver, body: { skuId, message: '生日快乐' } });
    const { claimToken } = await payGift(d, giver, gift.id);
    return { giftId: gift.id, token: claimToken! };
  };

  it('60 concurrent claimGift calls on one sent gift: exactly one winner, 59 × ALREADY_CLAIMED', async () => {
    deps = await freshDeps();
    const { giftId, token } = await sent(deps, 'giver_race');
    const claimers = Array.from({ length: 60 }, (_, i) => `claimer_${i}`);
    const results = await Promise.allSettled(claimers.map((c) => claimGift(deps, c, token)));
    const counts = tally(results.map(outcome));
    console.log(`race [DynamoDB Local]: 60 concurrent claimers → ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ ALREADY_CLAIMED: 59, ok: 1 });
    const winner = claimers[results.findIndex((r) => r.status === 'fulfilled')]!;
    const gift = (await deps.store.get(giftId))!;
    expect(gift).toMatchObject({ status: 'claimed', recipientId: winner, version: 3 });
    expect(gift.effects.filter((e) => e.id === 'notify:gift_claimed')).toHaveLength(1);
    expect((await deps.store.listByRecipient(winner, 10)).items.map((g) => g.id)).toEqual([giftId]);
  });

  it('accept vs decline, 20 times: exactly one outcome per gift, and exactly one effect goes out (handoff xor refund)', async () => {
    deps = await freshDeps();
    const ids: string[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const friend = `friend_da_${i}`;
      const { giftId, token } = await sent(deps, `giver_da_${i}`, 'sku_tea_250');
      await claimGift(deps, friend, token);
      await setGiftAddress(deps, friend, token, ADDRESS);
      const [a, d] = await Promise.allSettled([
        jittered(4, () => acceptGift(deps, friend, token)),
        jittered(4, () => declineGift(deps, friend, token)),
      ]);
      expect([a, d].filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      outcomes.push(a.status === 'fulfilled' ? `accepted (decline → ${outcome(d)})` : `declined (accept → ${outcome(a)})`);
      const gift = (await deps.store.get(giftId))!;
      expect(gift.effects.filter((e) => e.kind === 'handoff' || e.kind === 'refund')).toHaveLength(1);
      ids.push(giftId);
    }
    // Dispatcher runs one after another (overlapping runs deliver twice: test/use-cases/concurrent-dispatch.test.ts).
    for (const kind of ['handoff', 'refund'] as const) {
      await dispatchDueEffects(deps, kind);
      await dispatchDueEffects(deps, kind);
    }
    const handoffs = deps.sink.list().map((h) => h.giftId);
    const refunds = deps.payments.listRefunds().map((r) => r.giftId);
    expect(deps.sink.list().every((h) => h.deliveries === 1)).toBe(true);
    expect(deps.payments.listRefunds().every((r) => r.requests === 1)).toBe(true);
    for (const id of ids) expect(handoffs.filter((x) => x === id).length + refunds.filter((x) => x === id).length).toBe(1);
    console.log(
      `race [DynamoDB Local]: 20 × accept vs decline → ${JSON.stringify(tally(outcomes))}; ` +
        `handoffs ${handoffs.length}, refunds ${refunds.length}`,
    );
  });
});
