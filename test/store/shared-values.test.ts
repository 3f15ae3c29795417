/**
 * The shared-values contract (versioned compare-and-set) on every engine: memory, LevelDB, DynamoDB on dynalite and
 * on DynamoDB Local, CloudBase (stand-in of the SDK collection API). The values live next to the gifts, so each
 * engine also shows that a gift store on the same table / database never sees them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CloudbaseGiftStore } from '../../shared/adapters/cloudbase/cloudbase-gift-store';
import { CloudbaseSharedValues } from '../../shared/adapters/cloudbase/cloudbase-shared-values';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { DynamoDbSharedValues } from '../../shared/adapters/dynamodb/dynamodb-shared-values';
import { ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { LevelDbSharedValues } from '../../shared/adapters/leveldb/leveldb-shared-values';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { MemorySharedValues } from '../../shared/adapters/memory/memory-shared-values';
import { GIFT_ID_PATTERN } from '../../shared/domain/gift';
import type { GiftStore } from '../../shared/ports/gift-store';
import type { SharedValues } from '../../shared/ports/shared-values';
import { CloudbaseStandin } from '../support/cloudbase-standin';
import { type DynamoDbLocal, startDynamoDbLocal } from '../support/dynamodb-local';
import { tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
const closers: Array<() => Promise<void>> = [];
let java: Promise<DynamoDbLocal> | undefined;
afterAll(async () => {
  for (const c of closers) await c();
  if (java) await (await java.catch(() => null))?.close();
  tmp.remove();
});

interface Engine {
  /** Two handles on one store, as two function instances have. */
  values: [SharedValues, SharedValues];
  /** A gift store on the same table / database, when the engine shares one. */
  gifts: GiftStore | null;
}

let n = 0;
const engines: Array<[string, () => Promise<Engine>]> = [
  [
    'memory',
    async () => {
      const v = new MemorySharedValues();
      return { values: [v, v], gifts: null };
    },
  ],
  [
    'LevelDB (on disk)',
    async () => {
      const db = await openLevelDb(`${tmp.dir}/values-${++n}`);
      closers.push(() => db.close());
      return { values: [new LevelDbSharedValues(db), new LevelDbSharedValues(db)], gifts: new LevelDbGiftStore(db) };
    },
  ],
  [
    'DynamoDB on dynalite',
    async () => {
      const d = await startEmbeddedDynamo();
      closers.push(d.close);
      await ensureGiftsTable(d.client, 'values');
      const values = (): SharedValues => new DynamoDbSharedValues(d.client, 'values');
      return { values: [values(), values()], gifts: new DynamoDbGiftStore(d.client, 'values', { timerShards: 2 }) };
    },
  ],
  [
    'DynamoDB on DynamoDB Local',
    async () => {
      java ??= startDynamoDbLocal();
      const { client } = await java;
      const table = `values-${++n}`;
      await ensureGiftsTable(client, table);
      const values = (): SharedValues => new DynamoDbSharedValues(client, table);
      return { values: [values(), values()], gifts: new DynamoDbGiftStore(client, table, { timerShards: 2 }) };
    },
  ],
  [
    'CloudBase (in-process stand-in of the SDK collection API)',
    async () => {
      const db = new CloudbaseStandin();
      return {
        values: [new CloudbaseSharedValues(db, 'songli_values'), new CloudbaseSharedValues(db, 'songli_values')],
        gifts: new CloudbaseGiftStore(db, 'songli_gifts', { timerShards: 2 }),
      };
    },
  ],
];

const T = '2026-11-24T08:00:00.000Z';

describe.each(engines)('SharedValues: %s', (_name, open) => {
  it('reads null for an absent key; the first write needs the key absent, each next one the version it replaces', async () => {
    const {
      values: [a, b],
    } = await open();
    expect(await a.read('token#wx1')).toBeNull();
    expect(await a.writeIf('token#wx1', '{"token":"t1"}', null)).toEqual({ value: '{"token":"t1"}', version: 1 });
    expect(await b.read('token#wx1')).toEqual({ value: '{"token":"t1"}', version: 1 });
    expect(await b.writeIf('token#wx1', 'late', null)).toBeNull(); // it exists now
    expect(await b.writeIf('token#wx1', 'stale', 2)).toBeNull(); // no such version yet
    expect(await b.writeIf('token#wx1', '{"token":"t2"}', 1)).toEqual({ value: '{"token":"t2"}', version: 2 });
    expect(await a.writeIf('token#wx1', 'lost', 1)).toBeNull(); // b replaced version 1 first
    expect(await a.read('token#wx1')).toEqual({ value: '{"token":"t2"}', version: 2 });
    expect(await a.read('token#wx2')).toBeNull(); // keys are independent
  });

  it('keeps any text as written (unicode, JSON, 2 KB)', async () => {
    const {
      values: [a, b],
    } = await open();
    const text = JSON.stringify({ t: '蓝色围巾 🧣', n: 'x'.repeat(2_000), q: '"\\\n' });
    await a.writeIf('text', text, null);
    expect((await b.read('text'))?.value).toBe(text);
  });

  it('lets exactly one of 20 instances racing from the same version win', async () => {
    const {
      values: [a, b],
    } = await open();
    await a.writeIf('race', 'v1', null);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).writeIf('race', `writer ${i}`, 1)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await a.read('race')).toEqual({ value: winners[0]!.value, version: 2 });
    const creators = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).writeIf('fresh', `creator ${i}`, null)));
    expect(creators.filter((r) => r !== null)).toHaveLength(1);
  });

  it('stays out of the gift store it shares an engine with', async () => {
    const {
      values: [a],
      gifts,
    } = await open();
    if (!gifts) return; // memory keeps its values apart by construction
    const key = 'wechat-access-token#wx1';
    await a.writeIf(key, '{"token":"t"}', null);
    expect(GIFT_ID_PATTERN.test(key)).toBe(false); // no request can name it as a gift
    expect(await gifts.get(key)).toBeNull();
    for (const kind of ['sweep', 'handoff', 'refund', 'notify'] as const) expect((await gifts.listDue(kind, T, 10)).items).toEqual([]);
  });
});
