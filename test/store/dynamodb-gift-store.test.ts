import { join } from 'node:path';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbGiftStore, giftItem } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { StoreUnavailableError } from '../../shared/ports/gift-store';
import { sentGift } from '../support/gift-fixtures';
import { tempDataDir } from '../support/http-harness';
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
