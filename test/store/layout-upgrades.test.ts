/**
 * Data written by the layout before the store core (six ALL-projected DynamoDB indexes with constant partition keys;
 * LevelDB index keys per kind) is brought to the current layout without losing a gift: DynamoDB by copying into a
 * table of the new layout (what `npm run migrate:dynamodb` and the local server do), LevelDB in place on open.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../local/open-local-store';
import { CreateTableCommand } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoDBDocumentClient, PutCommand } from '../../shared/adapters/aws/dynamodb-document';
import { CloudbaseGiftStore } from '../../shared/adapters/cloudbase/cloudbase-gift-store';
import { copyGiftsTable } from '../../shared/adapters/dynamodb/copy-gifts-table';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { DynamoDbSharedValues } from '../../shared/adapters/dynamodb/dynamodb-shared-values';
import { ensureGiftsTable, startEmbeddedDynamo, waitForActive } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import type { Gift } from '../../shared/domain/gift';
import { CloudbaseStandin } from '../support/cloudbase-standin';
import { acceptedGift, claimedGift, sentGift } from '../support/gift-fixtures';
import { tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
afterAll(() => tmp.remove());
const T = '2026-11-24T08:00:00.000Z';
const gifts = (): Gift[] => [
  sentGift('g_old_sent', 'giver_old', T),
  claimedGift('g_old_claimed', 'giver_old', 'friend_old', T),
  acceptedGift('g_old_accepted', 'giver_old', 'friend_old', T),
];
const ids = (gs: { id: string }[]) => gs.map((g) => g.id).sort();

/** The table and items exactly as the earlier DynamoDB adapter wrote them. */
async function writeEarlierDynamoLayout(client: Parameters<typeof DynamoDBDocumentClient.from>[0], table: string) {
  const index = (name: string, pk: string, sk: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: pk, KeyType: 'HASH' as const },
      { AttributeName: sk, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  const names = ['giverId', 'createdAt', 'recipientId', 'claimedAt', 'sweepStatus', 'sweepAt', 'handoffQueue', 'handoffDueAt'];
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['id', ...names].map((n) => ({ AttributeName: n, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        index('byGiver', 'giverId', 'createdAt'),
        index('byRecipient', 'recipientId', 'claimedAt'),
        index('bySweep', 'sweepStatus', 'sweepAt'),
        index('handoffDue', 'handoffQueue', 'handoffDueAt'),
      ],
    }),
  );
  await waitForActive(client, table); // CreateTable answers while the table is still CREATING
  const doc = DynamoDBDocumentClient.from(client);
  const [sent, claimed, accepted] = gifts();
  const old = (g: Gift, docValue: unknown, extra: Record<string, string>) =>
    doc.send(
      new PutCommand({
        TableName: table,
        Item: { id: g.id, version: g.version, doc: docValue, giverId: g.giverId, createdAt: `${g.createdAt}#${g.id}`, ...extra },
      }),
    );
  await old(sent!, JSON.stringify(sent), { sweepStatus: 'sent', sweepAt: `${sent!.expiresAt}#${sent!.id}` });
  // The very first layout stored the document as a map.
  await old(claimed!, claimed, { recipientId: 'friend_old', claimedAt: `${claimed!.claimedAt}#${claimed!.id}` });
  await old(accepted!, JSON.stringify(accepted), { handoffQueue: 'due', handoffDueAt: `${accepted!.acceptedAt}#${accepted!.id}` });
  await doc.send(new PutCommand({ TableName: table, Item: { id: 'limit#guesser#1', hits: 3, ttl: 1 } }));
  // A user's profile, a shared value: durable, so it moves too.
  await doc.send(new PutCommand({ TableName: table, Item: { id: 'value#profile#giver_old', val: '{"displayName":"老王"}', ver: 2 } }));
}

describe('DynamoDB: copying an earlier table into the current layout', () => {
  it('copies every gift, reads both earlier document encodings, leaves counters behind, and never overwrites newer data', async () => {
    const dynamo = await startEmbeddedDynamo();
    try {
      await writeEarlierDynamoLayout(dynamo.client, 'songli-gifts');
      await ensureGiftsTable(dynamo.client, 'songli-gifts-v2');
      const store = new DynamoDbGiftStore(dynamo.client, 'songli-gifts-v2', { timerShards: 4 });
      // The new deployment already changed one gift in the new table before the copy reached it.
      const newer = { ...gifts()[0]!, version: gifts()[0]!.version + 5, message: 'changed after the deploy' };
      await store.insert(newer);

      const report = await copyGiftsTable(dynamo.client, { from: 'songli-gifts', to: 'songli-gifts-v2', timerShards: 4, segments: 2 });
      expect(report).toEqual({ scanned: 5, copied: 2, kept: 1, skipped: 1, values: 1 });
      const profile = await new DynamoDbSharedValues(dynamo.client, 'songli-gifts-v2').read('profile#giver_old');
      expect(profile).toEqual({ value: '{"displayName":"老王"}', version: 2 });
      expect((await store.get('g_old_sent'))!.message).toBe('changed after the deploy');
      expect(ids((await store.listByGiver('giver_old', 10)).items)).toEqual(ids(gifts()));
      expect(ids((await store.listByRecipient('friend_old', 10)).items)).toEqual(['g_old_accepted', 'g_old_claimed']);
      expect(ids((await store.listDue('handoff', '2027-01-01T00:00:00.000Z', 10)).items)).toEqual(['g_old_accepted']);
      expect(ids((await store.listDue('sweep', '2027-01-01T00:00:00.000Z', 10)).items)).toEqual(['g_old_claimed', 'g_old_sent']);

      expect(await copyGiftsTable(dynamo.client, { from: 'songli-gifts', to: 'songli-gifts-v2', timerShards: 4 })).toMatchObject({
        copied: 0,
        values: 0,
        kept: 4,
      });
    } finally {
      await dynamo.close();
    }
  });

  it('is what the local server does with a data directory of the earlier layout', async () => {
    const dir = join(tmp.dir, 'local-upgrade');
    const first = await startEmbeddedDynamo({ path: join(dir, 'dynamodb') });
    await writeEarlierDynamoLayout(first.client, 'songli-gifts');
    await first.close();
    const messages: string[] = [];
    const local = await openLocalStore('dynalite', dir, { gifts: 'songli-gifts-v2', parts: 'songli-parts' }, 16, (m) => messages.push(m));
    try {
      expect(messages).toEqual(['copied 3 gifts from the table songli-gifts (earlier layout) into songli-gifts-v2']);
      expect(ids((await local.store.listByGiver('giver_old', 10)).items)).toEqual(ids(gifts()));
    } finally {
      await local.close();
    }
  });
});

describe('LevelDB: the earlier layout is rewritten in place on open', () => {
  it('rewrites each document with its index entries, drops the old keys, and does it once', async () => {
    const path = join(tmp.dir, 'leveldb-upgrade');
    const db = await openLevelDb(path);
    try {
      // The earlier records: "<version>\n<index keys joined by \x01>\n<document>", index keys per kind.
      for (const g of gifts()) {
        const keys = [`giver\u0000${g.giverId}\u0000${g.createdAt}\u0000${g.id}`];
        if (g.status !== 'accepted') keys.push(`sweep\u0000${g.expiresAt}\u0000${g.id}`);
        else keys.push(`due:handoff\u0000${g.acceptedAt}\u0000${g.id}`);
        await db.put(`doc\u0000${g.id}`, `${g.version}\n${keys.join('\u0001')}\n${JSON.stringify(g)}`);
        for (const k of keys) await db.put(k, '');
      }
      const store = new LevelDbGiftStore(db, { timerShards: 2 });
      expect(await store.upgradeLayout()).toBe(3);
      expect(await store.upgradeLayout()).toBe(0);
      expect(await db.keys({ gt: 'giver\u0000', lt: 'giver\u0000\uffff' }).all()).toEqual([]);
      expect(await db.keys({ gt: 'due:', lt: 'due:\uffff' }).all()).toEqual([]);
      expect(ids((await store.listByGiver('giver_old', 10)).items)).toEqual(ids(gifts()));
      expect(ids((await store.listDue('handoff', '2027-01-01T00:00:00.000Z', 10)).items)).toEqual(['g_old_accepted']);
      const sent = gifts()[0]!;
      expect(await store.getByClaim(sent.id, sent.claimTokenHash!)).toEqual(sent);
    } finally {
      await db.close();
    }
  });
});

describe('CloudBase: documents of the earlier layout get their index fields', () => {
  it('upgrades each document once, with a compare-and-set, until none is left', async () => {
    const db = new CloudbaseStandin();
    const docs = db.docs('gifts');
    for (const g of gifts()) {
      // The earlier documents: the gift and the old index fields, none of the new ones.
      docs.set(g.id, { _id: g.id, version: g.version, doc: structuredClone(g), giverId: g.giverId, giverSort: `${g.createdAt}#${g.id}` });
    }
    const store = new CloudbaseGiftStore(db, 'gifts', { timerShards: 2 });
    expect((await store.listDue('handoff', '2027-01-01T00:00:00.000Z', 10)).items).toEqual([]);
    expect(await store.upgradeDocuments(2)).toBe(2);
    expect(await store.upgradeDocuments(2)).toBe(1);
    expect(await store.upgradeDocuments(2)).toBe(0);
    expect(ids((await store.listByGiver('giver_old', 10)).items)).toEqual(ids(gifts()));
    expect(ids((await store.listDue('handoff', '2027-01-01T00:00:00.000Z', 10)).items)).toEqual(['g_old_accepted']);
    const sent = gifts()[0]!;
    expect(await store.getByClaim(sent.id, sent.claimTokenHash!)).toEqual(sent);
  });
});
