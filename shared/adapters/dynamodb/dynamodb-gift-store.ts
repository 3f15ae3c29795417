import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError, GiftExistsError, VersionConflictError } from '../../domain/errors';
import { EFFECT_KINDS, type EffectKind, type Gift } from '../../domain/gift';
import { giftIndexKeys, SWEEPABLE_STATUSES } from '../../domain/gift-index-keys';
import type { GiftStore, Page } from '../../ports/gift-store';
import { EFFECT_INDEX, GIFT_INDEXES, QUEUE_DUE } from './gifts-table';

/**
 * The document is stored as one JSON string: marshalling a deep map attribute by attribute cost more CPU than
 * everything else a request does (and DynamoDB never needs to look inside it). Maps written by older versions
 * still read.
 */
type Item = Record<string, unknown> & { id: string; version: number; doc: string | Gift };
const docOf = (item: Item): Gift => (typeof item.doc === 'string' ? (JSON.parse(item.doc) as Gift) : item.doc);

/**
 * Index sort keys are `<ISO time>#<gift id>`: unique, so paging never has to break a tie (dynalite drops items
 * at page boundaries when many share one sort key), and still ordered by time. `upTo(now)` bounds them.
 */
const sortKey = (at: string, id: string) => `${at}#${id}`;
const upTo = (now: string) => `${now}#\uffff`;

export function toItem(gift: Gift): Item {
  const keys = giftIndexKeys(gift);
  const item: Item = { id: gift.id, version: gift.version, doc: JSON.stringify(gift), giverId: gift.giverId, createdAt: sortKey(gift.createdAt, gift.id) };
  if (gift.recipientId && gift.claimedAt) Object.assign(item, { recipientId: gift.recipientId, claimedAt: sortKey(gift.claimedAt, gift.id) });
  if (keys.sweepStatus && keys.sweepAt) Object.assign(item, { sweepStatus: keys.sweepStatus, sweepAt: sortKey(keys.sweepAt, gift.id) });
  for (const kind of EFFECT_KINDS) {
    const at = keys.dueAt[kind];
    const { pk, sk } = GIFT_INDEXES[EFFECT_INDEX[kind]];
    if (at) Object.assign(item, { [pk]: QUEUE_DUE, [sk]: sortKey(at, gift.id) });
  }
  return item;
}

const encodeCursor = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null);

/** A cursor must be a key of this very index; anything else is the caller's mistake (422), not a 500. */
function decodeCursor(cursor: string | undefined, index: 'byGiver' | 'byRecipient'): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const { pk, sk } = GIFT_INDEXES[index];
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    key = null;
  }
  const valid =
    key !== null && typeof key === 'object' && Object.keys(key).sort().join() === ['id', pk, sk].sort().join() && Object.values(key).every((v) => typeof v === 'string');
  if (!valid) throw new AppError('VALIDATION_FAILED', 'cursor is not valid', [{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  return key as Record<string, unknown>;
}

/** Gift store on DynamoDB: AWS in production, embedded dynalite on disk for the local server and tests. */
export class DynamoDbGiftStore implements GiftStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(id: string): Promise<Gift | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return out.Item ? docOf(out.Item as Item) : null;
  }

  async insert(gift: Gift): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: toItem(gift), ConditionExpression: 'attribute_not_exists(id)' }));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw new GiftExistsError(gift.id);
      throw e;
    }
  }

  async replace(gift: Gift, expectedVersion: number): Promise<void> {
    if (gift.version !== expectedVersion + 1) throw new Error(`gift ${gift.id}: a write must bump the version by one`);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(gift),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw new VersionConflictError(gift.id);
      throw e;
    }
  }

  listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.page('byGiver', giverId, limit, cursor);
  }

  listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.page('byRecipient', recipientId, limit, cursor);
  }

  async listSweepDue(now: string, limit: number): Promise<Gift[]> {
    const perStatus = await Promise.all(SWEEPABLE_STATUSES.map((status) => this.dueUpTo('bySweep', status, now, limit)));
    return perStatus
      .flat()
      .sort((a, b) => (a.sweepAt < b.sweepAt ? -1 : 1))
      .slice(0, limit)
      .map((x) => x.gift);
  }

  async listEffectsDue(kind: EffectKind, now: string, limit: number): Promise<Gift[]> {
    return (await this.dueUpTo(EFFECT_INDEX[kind], QUEUE_DUE, now, limit)).map((x) => x.gift);
  }

  private async dueUpTo(index: keyof typeof GIFT_INDEXES, pkValue: string, now: string, limit: number) {
    const { pk, sk } = GIFT_INDEXES[index];
    const out: Array<{ sweepAt: string; gift: Gift }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk AND #sk <= :now',
          ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
          ExpressionAttributeValues: { ':pk': pkValue, ':now': upTo(now) },
          Limit: limit - out.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of (res.Items ?? []) as Item[]) out.push({ sweepAt: String(item[sk]), gift: docOf(item) });
      start = res.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  private async page(index: 'byGiver' | 'byRecipient', owner: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    const { pk } = GIFT_INDEXES[index];
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': pk },
      ExpressionAttributeValues: { ':pk': owner },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, index),
    };
    const res = await this.doc.send(new QueryCommand(input));
    return { items: ((res.Items ?? []) as Item[]).map(docOf), cursor: encodeCursor(res.LastEvaluatedKey) };
  }
}
