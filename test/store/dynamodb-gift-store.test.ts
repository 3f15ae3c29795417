import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '../../shared/adapters/aws/dynamodb-document';
import { DynamoDbGiftStore, giftItem } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { beginAttempt, completeAttempt } from '../../shared/domain/effects';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { claim } from '../../shared/domain/gift-transitions';
import { StoreUnavailableError } from '../../shared/ports/gift-store';
import { sentGift } from '../support/gift-fixtures';
import { tempDataDir } from '../support/http-harness';
import { TEST_DISPATCH_POLICY } from '../support/memory-deps';
import { giftStoreContract } from './gift-store-contract';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

giftStoreContract('DynamoDB on dynalite (on disk)', async () => {
  const dynamo = await startEmbeddedDynamo({ path: join(tmp.dir, 'contract') });
  await ensureGiftsTable(dynamo.client, 'gifts-contract');
  return { store: new DynamoDbGiftStore(dynamo.client, 'gifts-contract', { timerShards: 3 }), close: () => dynamo.close() };
});

describe('DynamoDB adapter on disk', () => {
  it('keeps documents across a restart of the engine', async () => {
    const path = join(tmp.dir, 'restart');
    const first = await startEmbeddedDynamo({ path });
    await ensureGiftsTable(first.client, 'gifts');
    const g = sentGift('g_restart', 'giver_r', '2026-11-24T08:00:00.000Z');
    await new DynamoDbGiftStore(first.client, 'gifts').insert(g);
    await first.close();

    const second = await startEmbeddedDynamo({ path });
    await ensureGiftsTable(second.client, 'gifts');
    const store = new DynamoDbGiftStore(second.client, 'gifts');
    expect(await store.get('g_restart')).toEqual(g);
    expect((await store.listDue('sweep', '2026-11-25T09:00:00.000Z', 10)).items.map((x) => x.id)).toEqual(['g_restart']);
    await second.close();
  });

  it('reports an engine failure as the store being unavailable (a 503 at the edge), with the cause kept', async () => {
    const dynamo = await startEmbeddedDynamo();
    const store = new DynamoDbGiftStore(dynamo.client, 'no-such-table');
    try {
      const failed = store.get('g_x');
      await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(failed).rejects.toMatchObject({ cause: { name: 'ResourceNotFoundException' } });
    } finally {
      await dynamo.close();
    }
  });
});

describe('DynamoDB adapter: index paging with tied deadlines', () => {
  it('lists all 5,000 gifts due at one instant across 16 shards (dynalite drops items at page boundaries on tied sort keys)', async () => {
    const dynamo = await startEmbeddedDynamo();
    try {
      await ensureGiftsTable(dynamo.client, 'ties');
      const doc = DynamoDBDocumentClient.from(dynamo.client);
      for (let n = 0; n < 5000; n += 25) {
        const batch = Array.from({ length: 25 }, (_, i) => ({
          PutRequest: { Item: giftItem(sentGift(`g_tie_${n + i}`, 'giver_t', '2026-11-24T08:00:00.000Z')) },
        }));
        let pending: typeof batch | undefined = batch;
        while (pending?.length)
          pending = (await doc.send(new BatchWriteCommand({ RequestItems: { ties: pending } }))).UnprocessedItems?.ties as
            | typeof batch
            | undefined;
      }
      const due = await new DynamoDbGiftStore(dynamo.client, 'ties').listDue('sweep', '2026-11-25T09:00:00.000Z', 6000);
      expect(new Set(due.items.map((g) => g.id)).size).toBe(5000);
    } finally {
      await dynamo.close();
    }
  }, 90_000);
});

describe('DynamoDB adapter on dynalite: no iterator outlives its query', () => {
  /** Counts the LevelDB iterators dynalite's databases hold open (abstract-level registers each until closed). */
  function openIteratorCounter() {
    const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
    const fromClassic = createRequire(createRequire(fromDynalite.resolve('level')).resolve('classic-level'));
    const modules = new Set([fromClassic('abstract-level'), createRequire(fromDynalite.resolve('memory-level'))('abstract-level')]);
    let open = 0;
    const restore: Array<() => void> = [];
    for (const m of modules) {
      const proto = m.AbstractLevel.prototype;
      const { attachResource, detachResource } = proto;
      const isIterator = (r: unknown) => r instanceof Object.getPrototypeOf(m.AbstractIterator.prototype).constructor;
      proto.attachResource = function (r: unknown) {
        if (isIterator(r)) open++;
        return attachResource.call(this, r);
      };
      proto.detachResource = function (r: unknown) {
        if (isIterator(r)) open--;
        return detachResource.call(this, r);
      };
      restore.push(() => Object.assign(proto, { attachResource, detachResource }));
    }
    return {
      open: () => open,
      restore: () => {
        for (const r of restore) r();
      },
    };
  }

  for (const where of ['on disk', 'in memory'] as const) {
    it(`closes the iterators of 300 index queries (${where})`, async () => {
      const counter = openIteratorCounter();
      const dynamo = await startEmbeddedDynamo(where === 'on disk' ? { path: join(tmp.dir, 'iterators') } : {});
      try {
        await ensureGiftsTable(dynamo.client, 'iterators');
        const store = new DynamoDbGiftStore(dynamo.client, 'iterators', { timerShards: 1 });
        for (let i = 0; i < 30; i++) await store.insert(sentGift(`g_it_${i}`, 'giver_it', '2026-11-24T08:00:00.000Z'));
        const before = counter.open();
        for (let i = 0; i < 100; i++) {
          // A page that stops early (limit), a due-list that runs to its end, and a query that finds nothing.
          expect((await store.listByGiver('giver_it', 5)).items).toHaveLength(5);
          expect((await store.listDue('sweep', '2026-11-25T09:00:00.000Z', 100)).items).toHaveLength(30);
          expect((await store.listByRecipient('nobody', 10)).items).toHaveLength(0);
        }
        await new Promise((r) => setTimeout(r, 50)); // closes settle asynchronously
        // Before the fix every one of the 300 queries left its iterator open.
        expect(counter.open() - before).toBeLessThan(5);
      } finally {
        counter.restore();
        await dynamo.close();
      }
    });
  }
});

describe('DynamoDB adapter where the stream delivers first attempts (streamFirstDelivery, as on AWS)', () => {
  it("records the claim's notice and settles it without moving the timer entry; the safety net finds it at the next instant", async () => {
    const dynamo = await startEmbeddedDynamo();
    try {
      await ensureGiftsTable(dynamo.client, 'gifts-stream');
      const store = new DynamoDbGiftStore(dynamo.client, 'gifts-stream', { timerShards: 2, streamFirstDelivery: true });
      const doc = DynamoDBDocumentClient.from(dynamo.client);
      const timerOf = async (id: string) => {
        const out = await doc.send(new GetCommand({ TableName: 'gifts-stream', Key: { id }, ProjectionExpression: 'timerSk, timerKinds' }));
        return { sk: out.Item?.timerSk, kinds: [...(out.Item?.timerKinds ?? [])].sort() };
      };
      const T = '2026-11-24T08:00:00.000Z';
      const sent = sentGift('g_stream', 'giver_s', T);
      await store.insert(sent);
      const claimAt = '2026-11-24T09:00:00.000Z';
      const claimed = claim(sent, 'friend_s', claimAt, DEFAULT_GIFT_POLICY);
      await store.replace(claimed, sent.version);
      const reminderAt = claimed.effects.find((e) => e.id === 'notify:gift_expiring')!.nextAttemptAt;
      const atClaim = await timerOf('g_stream');
      expect(atClaim).toEqual({ sk: `${reminderAt}#g_stream`, kinds: ['notify', 'sweep'] });
      const settleAt = '2026-11-24T09:00:01.000Z';
      const id = 'notify:gift_claimed';
      const settled = { ...completeAttempt(beginAttempt(claimed, id, settleAt, TEST_DISPATCH_POLICY), id, settleAt, { receipt: null }) };
      await store.replace({ ...settled, version: claimed.version + 1, updatedAt: settleAt }, claimed.version);
      expect(await timerOf('g_stream')).toEqual(atClaim);
      // Had the stream never delivered it, the notice pass finds the gift at the reminder's instant.
      expect((await store.listDue('notify', claimAt, 10)).items).toEqual([]);
      expect((await store.listDue('notify', reminderAt, 10)).items.map((g) => g.id)).toEqual(['g_stream']);
    } finally {
      await dynamo.close();
    }
  });
});
