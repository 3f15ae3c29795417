/**
 * The local server's group store (local/open-local-store.ts): each engine brings one, dynalite in a parts table of its
 * own created on first open, and what it holds survives a restart on the same data directory.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStoreKind, openLocalStore } from '../../local/open-local-store';
import { DynamoDbGroupStore } from '../../shared/adapters/dynamodb/dynamodb-group-store';
import { startEmbeddedDynamo, tableExists } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbGroupStore } from '../../shared/adapters/leveldb/leveldb-group-store';
import { MemoryGroupStore } from '../../shared/adapters/memory/memory-group-store';
import type { ClaimMarker } from '../../shared/domain/group-claim';
import { tempDataDir } from '../support/http-harness';
import { T0 } from '../support/memory-deps';

const tmp = tempDataDir();
afterAll(() => tmp.remove());
const TABLES = { gifts: 'songli-gifts-v2', parts: 'songli-parts-local' };
const marker: ClaimMarker = { orderId: 'g_group0000001', userId: 'bob', unitNo: 3, at: T0 };

describe('openLocalStore: the group store', () => {
  it.each([
    ['dynalite', DynamoDbGroupStore],
    ['leveldb', LevelDbGroupStore],
  ] as const)('%s: keeps a claim marker across a restart on the same data directory', async (kind, engine) => {
    const dir = join(tmp.dir, kind);
    const first = await openLocalStore(kind as LocalStoreKind, dir, TABLES, 16);
    try {
      expect(first.groupStore).toBeInstanceOf(engine);
      expect(await first.groupStore.insertMarker(marker)).toEqual(marker);
    } finally {
      await first.close();
    }
    const second = await openLocalStore(kind as LocalStoreKind, dir, TABLES, 16);
    try {
      expect(await second.groupStore.getMarker(marker.orderId, 'bob')).toEqual(marker);
      expect(await second.groupStore.getMarker(marker.orderId, 'carol')).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('dynalite: creates the parts table by the name given, beside the gifts table', async () => {
    const dir = join(tmp.dir, 'tables');
    await (await openLocalStore('dynalite', dir, TABLES, 16)).close();
    const dynamo = await startEmbeddedDynamo({ path: join(dir, 'dynamodb') });
    try {
      expect(await tableExists(dynamo.client, TABLES.parts)).toBe(true);
      expect(await tableExists(dynamo.client, TABLES.gifts)).toBe(true);
    } finally {
      await dynamo.close();
    }
  });

  it('memory: a group store that keeps nothing across opens', async () => {
    const local = await openLocalStore('memory', null, TABLES, 16);
    expect(local.groupStore).toBeInstanceOf(MemoryGroupStore);
    expect(await local.groupStore.insertMarker(marker)).toEqual(marker);
    expect(await (await openLocalStore('memory', null, TABLES, 16)).groupStore.getMarker(marker.orderId, 'bob')).toBeNull();
  });
});
