import type { GiftDocument } from '../../domain/gift-document';
import { type GiftRecord, GiftStoreCore, type IndexHit, type IndexRange } from '../../store/gift-store-core';
import { GIFT_INDEXES, idOfSortKey, indexEntries } from '../../store/index-entries';
import { ConditionalCheckFailedException, type DynamoDBClient } from '../aws/dynamodb-client';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '../aws/dynamodb-document';
import { DYNAMO_INDEXES } from './gifts-table';
import { DOCUMENT_ATTRIBUTES, DOCUMENT_PROJECTION, decodeDocument, encodeDocument } from './stored-document';

type Item = Record<string, unknown> & { id: string; version: number; dz1: Uint8Array };

/**
 * The document is stored deflated in one binary attribute (stored-document.ts): one attribute because marshalling a
 * deep map attribute by attribute cost more CPU than the rest of a request; deflated with a preset dictionary because
 * DynamoDB bills a write per started KB of the item. Items of earlier layouts still read.
 */
const docOf = (item: Record<string, unknown>): GiftDocument => decodeDocument(item)!;
const DOC_ATTRIBUTES = DOCUMENT_ATTRIBUTES;

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;

export function toItem(record: GiftRecord): Item {
  const item: Item = { id: record.gift.id, version: record.version, ...encodeDocument(record.gift) };
  if (record.claimTokenHash) item.claimHash = record.claimTokenHash;
  for (const index of GIFT_INDEXES) {
    const e = record.entries[index];
    if (!e) continue;
    const { pk, sk } = DYNAMO_INDEXES[index];
    item[pk] = e.pk;
    item[sk] = e.sk;
    if (e.kinds) item.timerKinds = new Set(e.kinds);
  }
  return item;
}

/** The item of a gift as the store writes it (benchmarks and tests load tables in bulk with it). */
export const giftItem = (gift: GiftDocument, timerShards = 16): Item =>
  toItem({ gift, version: gift.version, claimTokenHash: gift.claimTokenHash, entries: indexEntries(gift, timerShards) });

/** The DynamoDB engine: AWS in production; dynalite and DynamoDB Local in tests and the local server. */
export class DynamoDbGiftStore extends GiftStoreCore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    opts: { timerShards?: number; streamFirstDelivery?: boolean } = {},
  ) {
    super({ timerShards: opts.timerShards ?? 16, streamFirstDelivery: opts.streamFirstDelivery });
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  protected async readGift(id: string): Promise<GiftDocument | null> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { id },
        ConsistentRead: true,
        ProjectionExpression: DOCUMENT_PROJECTION,
        ExpressionAttributeNames: DOC_ATTRIBUTES,
      }),
    );
    return out.Item ? docOf(out.Item) : null;
  }

  /** A Query on the primary key filtered by the hash: a wrong secret returns what an unknown id returns (nothing). */
  protected override async readGiftByClaim(id: string, claimTokenHash: string): Promise<GiftDocument | null> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'id = :id',
        FilterExpression: 'claimHash = :h',
        ProjectionExpression: DOCUMENT_PROJECTION,
        ExpressionAttributeNames: DOC_ATTRIBUTES,
        ExpressionAttributeValues: { ':id': id, ':h': claimTokenHash },
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? docOf(item) : null;
  }

  protected async readGifts(ids: readonly string[]): Promise<Map<string, GiftDocument>> {
    const out = new Map<string, GiftDocument>();
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
      let keys: Array<Record<string, unknown>> | undefined = ids.slice(i, i + BATCH_GET_MAX).map((id) => ({ id }));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)));
        const res: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: keys,
                ProjectionExpression: `id, ${DOCUMENT_PROJECTION}`,
                ExpressionAttributeNames: DOC_ATTRIBUTES,
              },
            },
          }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) out.set(item.id as string, docOf(item));
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys;
        if (attempt > 8 && keys?.length) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
      }
    }
    return out;
  }

  protected async createRecord(record: GiftRecord): Promise<boolean> {
    return this.conditionalPut(record, { ConditionExpression: 'attribute_not_exists(id)' });
  }

  protected async replaceRecord(record: GiftRecord, expectedVersion: number): Promise<boolean> {
    return this.conditionalPut(record, {
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    });
  }

  protected async queryIndex(range: IndexRange): Promise<IndexHit[]> {
    const { name, pk, sk } = DYNAMO_INDEXES[range.index];
    const values: Record<string, unknown> = { ':pk': range.pk };
    let condition = '#pk = :pk';
    // One condition per sort key: a continuation is BETWEEN (inclusive) and drops the entry it continues after.
    if (range.order === 'asc' && range.after !== undefined) {
      condition += ' AND #sk BETWEEN :after AND :bound';
      Object.assign(values, { ':after': range.after, ':bound': range.through ?? '\uffff' });
    } else if (range.order === 'asc' && range.through !== undefined) {
      condition += ' AND #sk <= :bound';
      values[':bound'] = range.through;
    }
    if (range.order === 'desc' && range.before !== undefined) {
      condition += ' AND #sk < :bound';
      values[':bound'] = range.before;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: name,
      KeyConditionExpression: condition,
      // DynamoDB refuses names an expression does not use.
      ExpressionAttributeNames: {
        '#pk': pk,
        ...(condition.includes('#sk') ? { '#sk': sk } : {}),
        ...(range.kind ? { '#kinds': 'timerKinds' } : {}),
      },
      ExpressionAttributeValues: range.kind ? { ...values, ':kind': range.kind } : values,
      ...(range.kind ? { FilterExpression: 'contains(#kinds, :kind)' } : {}),
      ScanIndexForward: range.order === 'asc',
    };
    const hits: IndexHit[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // Limit counts items read before the filter: read a little more than needed when filtering.
      const limit = range.kind ? Math.max(range.limit - hits.length, 100) : range.limit - hits.length;
      const res = await this.doc.send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) {
        if (hits.length >= range.limit) break;
        if (item[sk] === range.after) continue;
        hits.push({ id: idOfSortKey(item[sk] as string), sk: item[sk] as string });
      }
      start = res.LastEvaluatedKey;
    } while (start && hits.length < range.limit);
    return hits;
  }

  private async conditionalPut(record: GiftRecord, condition: Partial<ConstructorParameters<typeof PutCommand>[0]>): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: toItem(record), ...condition }));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
