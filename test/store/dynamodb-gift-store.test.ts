import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { tempDataDir } from '../support/http-harness';
import { sentGift } from '../support/gift-fixtures';
import { giftStoreContract } from './gift-store-contract';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

giftStoreContract('DynamoDB on dynalite (on disk)', async () => {
  const dynamo = await startEmbeddedDynamo({ path: join(tmp.dir, 'contract') });
  await ensureGiftsTable(dynamo.client, 'gifts-contract');
  return { store: new DynamoDbGiftStore(dynamo.client, 'gifts-contract'), close: () => dynamo.close() };
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
    expect((await store.listSweepDue('2026-11-25T09:00:00.000Z', 10)).map((x) => x.id)).toEqual(['g_restart']);
    await second.close();
  });
});
