/**
 * The AWS stream function (functions/dispatch-stream): DynamoDB stream records whose NewImage are real items, written
 * by the DynamoDB adapters to dynalite and read back raw (binary attributes base64, as Lambda delivers them). Effects
 * of gifts and units go out once; a document whose store write fails is reported for retry by its SequenceNumber; a
 * receiver's refusal is the outbox's to retry (backoff), not the batch's; repeated and stale records do nothing.
 */

import type { Context, DynamoDBRecord, AttributeValue as StreamValue } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dispatchStream from '../../functions/dispatch-stream/handler';
import { FUNCTIONS } from '../../functions/manifest';
import { type AttributeValue, GetItemCommand } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { DynamoDbGroupStore } from '../../shared/adapters/dynamodb/dynamodb-group-store';
import {
  type EmbeddedDynamo,
  ensureGiftsTable,
  ensurePartsTable,
  startEmbeddedDynamo,
} from '../../shared/adapters/dynamodb/embedded-dynalite';
import type { Gift } from '../../shared/domain/gift';
import { accept } from '../../shared/domain/gift-transitions';
import { lambdaStreamHandler } from '../../shared/platform/aws/lambda-stream';
import { StoreUnavailableError } from '../../shared/ports/gift-store';
import { acceptedUnit, paidOrder } from '../support/group-fixtures';
import { addressedGift, type MemoryDeps, makeDeps, RECIPIENT, T0 } from '../support/memory-deps';
import { override } from '../support/override';

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureGiftsTable(dynamo.client, 'gifts');
  await ensurePartsTable(dynamo.client, 'parts');
});
afterAll(() => dynamo.close());

/** An SDK attribute value as a stream record carries it (JSON: binary as base64). */
function streamValue(v: AttributeValue): StreamValue {
  if (v.B) return { B: Buffer.from(v.B).toString('base64') };
  if (v.M) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, streamValue(x)])) };
  if (v.L) return { L: v.L.map(streamValue) };
  return v as StreamValue;
}

let seq = 100;
/** The stream record of an item as it is stored now. */
async function recordOf(table: string, key: Record<string, string>): Promise<DynamoDBRecord> {
  const Key = Object.fromEntries(Object.entries(key).map(([k, s]) => [k, { S: s }]));
  const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: table, Key, ConsistentRead: true }));
  const NewImage = Object.fromEntries(Object.entries(Item!).map(([k, v]) => [k, streamValue(v)]));
  return { eventName: 'MODIFY', dynamodb: { Keys: NewImage, NewImage, SequenceNumber: String(seq++), StreamViewType: 'NEW_IMAGE' } };
}

const acceptedGift = (id: string): Gift => accept({ ...addressedGift(), id }, RECIPIENT, T0);

const context = { awsRequestId: 'req-1' } as Context;

describe('dispatch-stream (DynamoDB Streams → Lambda)', () => {
  it('passes only items with a pending effect through its filter, as the manifest declares', () => {
    const fn = FUNCTIONS.find((f) => f.name === 'dispatch-stream');
    expect(fn).toMatchObject({ kind: 'stream', tables: ['GiftsTable', 'PartsTable'], targets: ['aws'] });
    expect(fn?.kind === 'stream' && fn.filterPatterns).toEqual([
      { dynamodb: { NewImage: { timerKinds: { SS: ['handoff', 'refund', 'notify'] } } } },
    ]);
  });

  it('delivers gifts and units once, reports the record whose write failed, leaves receiver refusals to the backoff', async () => {
    let deps!: MemoryDeps;
    const failingGift = 'g_streamfail01';
    const refusedGift = 'g_streamrefu01';
    const base = makeDeps();
    const store = new DynamoDbGiftStore(dynamo.client, 'gifts', { timerShards: 2 });
    const groupStore = new DynamoDbGroupStore(dynamo.client, 'parts', { timerShards: 2 });
    deps = {
      ...base,
      store: override(store, {
        async replace(next, expected) {
          if (next.id === failingGift) throw new StoreUnavailableError('replace', new Error('throttled'));
          return store.replace(next, expected);
        },
      }) as unknown as MemoryDeps['store'],
      groupStore: groupStore as unknown as MemoryDeps['groupStore'],
      fulfillment: {
        handOff: async (req) => {
          if (req.handoff.giftId === refusedGift) throw new Error('merchant down');
          return base.sink.handOff(req);
        },
      },
    };
    const handler = lambdaStreamHandler(dispatchStream, async () => ({ deps, callbackSecret: null }));

    const okGift = acceptedGift('g_streamok0001');
    const order = paidOrder({ id: 'g_streamorder01' });
    const unit = acceptedUnit(order.id);
    await store.insert(okGift);
    await store.insert(acceptedGift(failingGift));
    await store.insert(acceptedGift(refusedGift));
    await store.insert(order);
    expect(await groupStore.insertUnit(unit)).toBe(true);

    const okRecord = await recordOf('gifts', { id: okGift.id });
    expect(okRecord.dynamodb?.NewImage?.timerKinds?.SS).toEqual(expect.arrayContaining(['handoff', 'notify']));
    const failRecord = await recordOf('gifts', { id: failingGift });
    const records = [
      okRecord,
      failRecord,
      await recordOf('gifts', { id: refusedGift }),
      await recordOf('parts', { pk: order.id, sk: 'u#001' }),
      okRecord, // a duplicate in the same batch
      await recordOf('gifts', { id: failingGift }), // a later record of the failing document
    ];
    const first = await handler({ Records: records }, context);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: failRecord.dynamodb!.SequenceNumber }]);

    const handoffs = () =>
      base.sink
        .list()
        .map((h) => h.giftId)
        .sort();
    expect(handoffs()).toEqual([okGift.id, unit.id].sort());
    // Its claim's notice was still pending too: all three effects leased in one write and settled in one.
    const notices = base.notifier
      .list()
      .filter((n) => n.giftId === okGift.id)
      .map((n) => n.event);
    expect(notices.sort()).toEqual(['gift_accepted', 'gift_claimed']);
    const stored = (await store.get(okGift.id))!;
    expect(stored.version).toBe(okGift.version + 2); // one lease, one settle for all its effects
    expect(stored.effects.filter((e) => e.status === 'pending')).toEqual([]);
    expect((await groupStore.getUnit(order.id, 1))!.effects[0]).toMatchObject({ status: 'done', attempts: 1 });
    const refused = (await store.get(refusedGift))!.effects.find((e) => e.id === 'handoff')!;
    expect(refused).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('merchant down') });

    // Settled, the item leaves the filter: no pending kind in timerKinds.
    const settled = await recordOf('gifts', { id: okGift.id });
    expect(settled.dynamodb?.NewImage?.timerKinds).toBeUndefined();

    // Lambda retries the batch (and delivers the old records again): nothing is delivered twice, nothing is written.
    const versions = async () => Promise.all([okGift.id, refusedGift].map(async (id) => (await store.get(id))!.version));
    const before = await versions();
    const again = await handler({ Records: records }, context);
    expect(again.batchItemFailures).toEqual([{ itemIdentifier: failRecord.dynamodb!.SequenceNumber }]);
    expect(handoffs()).toEqual([okGift.id, unit.id].sort());
    expect(await versions()).toEqual(before);
  });
});
