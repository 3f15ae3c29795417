import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '../aws/dynamodb-client';
import { closeDynaliteIteratorsOnDestroy } from './dynalite-iterators';
import { giftsTableDefinition } from './gifts-table';
import { partsTableDefinition } from './parts-table';

export interface EmbeddedDynamo {
  client: DynamoDBClient;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * DynamoDB without a cloud account: dynalite in this process, on LevelDB under `path` (or in memory when
 * path is omitted), listening on 127.0.0.1 only. The same DynamoDbGiftStore talks to it over HTTP.
 */
export async function startEmbeddedDynamo(opts: { path?: string } = {}): Promise<EmbeddedDynamo> {
  // dynalite is CommonJS and a dev-time engine: load it only where it is used, never in a Lambda bundle.
  const { default: dynalite } = await import('dynalite');
  closeDynaliteIteratorsOnDestroy(); // else every Query leaks a LevelDB iterator (see there)
  const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Requests still being answered: closing under one lets its Query stream read a LevelDB that dynalite has just
  // closed, which throws inside dynalite (an uncaught LEVEL_ITERATOR_NOT_OPEN that ends the process).
  let answering = 0;
  server.on('request', (_req: unknown, res: { once(event: 'close', listener: () => void): void }) => {
    answering++;
    res.once('close', () => answering--);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    timeoutMs: 60_000, // in-process and queued behind a thousand concurrent calls in some tests: slow, never lost
  });
  return {
    client,
    endpoint,
    async close() {
      client.destroy();
      const giveUpAt = Date.now() + 10_000;
      while (answering > 0 && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 5));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

/** Creates the group-order parts table unless it exists; true when it created it. */
export async function ensurePartsTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  let created = false;
  if (!(await tableExists(client, tableName))) {
    await client.send(new CreateTableCommand(partsTableDefinition(tableName)));
    created = true;
  }
  await waitForActive(client, tableName);
  return created;
}

/** Creates the gifts table with its indexes unless it exists (restart keeps the data); true when it created it. */
export async function ensureGiftsTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  let created = false;
  if (!(await tableExists(client, tableName))) {
    await client.send(new CreateTableCommand(giftsTableDefinition(tableName)));
    created = true;
  }
  await waitForActive(client, tableName);
  return created;
}

export async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return false;
    throw e;
  }
}

/** CreateTable returns while the table is still CREATING (dynalite too, for a tick): writes before ACTIVE fail. */
export async function waitForActive(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
