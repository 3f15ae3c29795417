import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyGiftsTable } from '../shared/adapters/dynamodb/copy-gifts-table';
import { DynamoDbAttemptLimiter } from '../shared/adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../shared/adapters/dynamodb/dynamodb-gift-store';
import { DynamoDbGroupStore } from '../shared/adapters/dynamodb/dynamodb-group-store';
import { DynamoDbSharedValues } from '../shared/adapters/dynamodb/dynamodb-shared-values';
import { ensureGiftsTable, ensurePartsTable, startEmbeddedDynamo, tableExists } from '../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbAttemptLimiter } from '../shared/adapters/leveldb/leveldb-attempt-limiter';
import { LevelDbGiftStore } from '../shared/adapters/leveldb/leveldb-gift-store';
import { LevelDbGroupStore } from '../shared/adapters/leveldb/leveldb-group-store';
import { LevelDbSharedValues } from '../shared/adapters/leveldb/leveldb-shared-values';
import { openLevelDb } from '../shared/adapters/leveldb/open-leveldb';
import { MemoryAttemptLimiter } from '../shared/adapters/memory/memory-attempt-limiter';
import { MemoryGiftStore } from '../shared/adapters/memory/memory-gift-store';
import { MemoryGroupStore } from '../shared/adapters/memory/memory-group-store';
import { MemorySharedValues } from '../shared/adapters/memory/memory-shared-values';
import type { AttemptLimiter } from '../shared/ports/attempt-limiter';
import type { GiftStore } from '../shared/ports/gift-store';
import type { GroupStore } from '../shared/ports/group-store';
import type { SharedValues } from '../shared/ports/shared-values';

export type LocalStoreKind = 'dynalite' | 'leveldb' | 'memory';

/** The embedded DynamoDB's tables: the gifts, and the group orders' parts (keyed pk, sk). */
export interface LocalTables {
  gifts: string;
  parts: string;
}

export interface LocalStore {
  store: GiftStore;
  /** The group orders' parts, in the same engine (a table of their own on DynamoDB). */
  groupStore: GroupStore;
  limiter: AttemptLimiter;
  /** Values every instance shares (WeChat's access token), in the same engine. */
  sharedValues: SharedValues;
  /** Where the data lives, for the start-up log. */
  location: string;
  close(): Promise<void>;
}

/**
 * The local server's store, chosen by LOCAL_STORE:
 * - `dynalite` (default): the DynamoDB adapter — the one AWS runs — against embedded dynalite under DATA_DIR/dynamodb;
 * - `leveldb`: the LevelDB adapter under DATA_DIR/leveldb, ~100× faster, for large local data sets;
 * - `memory`: nothing persists (benchmarks).
 * `dataDir` null keeps the engine's files out of DATA_DIR and drops them on close.
 */
/** The local table's name before the sharded timer index (the old default of GIFTS_TABLE). */
const PREVIOUS_LAYOUT_TABLE = 'songli-gifts';

export async function openLocalStore(
  kind: LocalStoreKind,
  dataDir: string | null,
  tables: LocalTables,
  timerShards: number,
  log: (message: string) => void = () => {},
): Promise<LocalStore> {
  if (kind === 'memory')
    return {
      store: new MemoryGiftStore(),
      groupStore: new MemoryGroupStore(),
      limiter: new MemoryAttemptLimiter(),
      sharedValues: new MemorySharedValues(),
      location: '(memory)',
      close: async () => undefined,
    };
  if (kind === 'leveldb') {
    const path = dataDir ? join(dataDir, 'leveldb') : mkdtempSync(join(tmpdir(), 'songli-leveldb-'));
    const db = await openLevelDb(path);
    const store = new LevelDbGiftStore(db);
    const upgraded = await store.upgradeLayout();
    if (upgraded > 0) log(`rewrote ${upgraded} gifts of ${path} in the current layout (sharded timer index)`);
    return {
      store,
      groupStore: new LevelDbGroupStore(db),
      limiter: await LevelDbAttemptLimiter.open(db),
      sharedValues: new LevelDbSharedValues(db),
      location: path,
      async close() {
        await db.close();
        if (!dataDir) rmSync(path, { recursive: true, force: true });
      },
    };
  }
  const path = dataDir ? join(dataDir, 'dynamodb') : undefined;
  const dynamo = await startEmbeddedDynamo({ path });
  const tableName = tables.gifts;
  await ensurePartsTable(dynamo.client, tables.parts);
  if ((await ensureGiftsTable(dynamo.client, tableName)) && (await tableExists(dynamo.client, PREVIOUS_LAYOUT_TABLE))) {
    // A data directory from before the timer index: bring its gifts over once (the old table stays, untouched).
    const report = await copyGiftsTable(dynamo.client, { from: PREVIOUS_LAYOUT_TABLE, to: tableName, timerShards });
    log(`copied ${report.copied} gifts from the table ${PREVIOUS_LAYOUT_TABLE} (earlier layout) into ${tableName}`);
  }
  return {
    store: new DynamoDbGiftStore(dynamo.client, tableName, { timerShards }),
    groupStore: new DynamoDbGroupStore(dynamo.client, tables.parts, { timerShards }),
    limiter: new DynamoDbAttemptLimiter(dynamo.client, tableName, { withGifts: true }),
    sharedValues: new DynamoDbSharedValues(dynamo.client, tableName),
    location: path ?? '(dynalite in memory)',
    close: () => dynamo.close(),
  };
}
