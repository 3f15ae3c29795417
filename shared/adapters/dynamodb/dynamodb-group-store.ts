import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  GroupStoreCore,
  type GroupStoreCoreOptions,
  type PartRange,
  type PartRecord,
  type TimerHit,
  type TimerRange,
} from '../../store/group-store-core';
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
import { PARTS_TIMER_INDEX } from './parts-table';

type Item = Record<string, unknown> & { pk: string; sk: string; version: number; docz: Uint8Array };

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;

// Raw-deflated JSON in one binary attribute, as gift items (dynamodb-gift-store.ts): a unit is ~0.7 KB, one write unit.
// A unit waiting for an effect carries the keys of the timer index too (absent otherwise: the index stays sparse).
function toItem(r: PartRecord): Item {
  const item: Item = { pk: r.pk, sk: r.sk, version: r.version, docz: deflateRawSync(JSON.stringify(r.doc)) };
  if (r.timer) Object.assign(item, { timerPk: r.timer.pk, timerSk: r.timer.sk, timerKinds: new Set(r.timer.kinds) });
  return item;
}
const fromItem = (item: Record<string, unknown>): PartRecord => ({
  pk: item.pk as string,
  sk: item.sk as string,
  version: Number(item.version),
  doc: JSON.parse(inflateRawSync(item.docz as Uint8Array).toString('utf8')) as object,
});

/**
 * Group parts on DynamoDB (the parts table, parts-table.ts): consistent GetItem and Query, a conditional insert is a
 * PutItem with `attribute_not_exists(sk)`, a compare-and-set a PutItem with `#v = :expected` (`#v` = version). Due
 * units come from the GSI `timer` (keys and `timerKinds` only, eventually consistent like the gifts' timer index),
 * then one consistent BatchGetItem of the unit items the merged page keeps.
 */
export class DynamoDbGroupStore extends GroupStoreCore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    opts: GroupStoreCoreOptions = {},
  ) {
    super(opts);
    this.doc = DynamoDBDocumentClient.from(client);
  }

  protected async readPart(pk: string, sk: string): Promise<PartRecord | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : null;
  }

  protected insertPart(record: PartRecord): Promise<boolean> {
    return this.conditionalPut(record, 'attribute_not_exists(sk)');
  }

  protected replacePart(record: PartRecord, expectedVersion: number): Promise<boolean> {
    return this.conditionalPut(record, '#v = :expected', { ':expected': expectedVersion });
  }

  protected async queryParts(range: PartRange): Promise<PartRecord[]> {
    const values: Record<string, unknown> = { ':pk': range.pk };
    let condition = 'pk = :pk';
    // One condition per sort key: a continuation is BETWEEN (inclusive) and drops the record it continues after.
    if (range.after !== undefined) {
      condition += ' AND sk BETWEEN :after AND :bound';
      Object.assign(values, { ':after': range.after, ':bound': `${range.prefix}\uffff` });
    } else if (range.prefix) {
      condition += ' AND begins_with(sk, :prefix)';
      values[':prefix'] = range.prefix;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
      ConsistentRead: true,
    };
    const out: PartRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(new QueryCommand({ ...input, Limit: range.limit - out.length + 1, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) {
        if (out.length >= range.limit) break;
        if (item.sk === range.after || !(item.sk as string).startsWith(range.prefix)) continue;
        out.push(fromItem(item));
      }
      start = res.LastEvaluatedKey;
    } while (start && out.length < range.limit);
    return out;
  }

  protected async queryTimer(range: TimerRange): Promise<TimerHit[]> {
    const { name, pk, sk, kinds } = PARTS_TIMER_INDEX;
    // One condition per sort key: a continuation is BETWEEN (inclusive) and drops the entry it continues after.
    const condition = range.after === undefined ? '#pk = :pk AND #sk <= :through' : '#pk = :pk AND #sk BETWEEN :after AND :through';
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: name,
      KeyConditionExpression: condition,
      FilterExpression: 'contains(#kinds, :kind)',
      ExpressionAttributeNames: { '#pk': pk, '#sk': sk, '#kinds': kinds },
      ExpressionAttributeValues: {
        ':pk': range.pk,
        ':through': range.through,
        ':kind': range.kind,
        ...(range.after === undefined ? {} : { ':after': range.after }),
      },
    };
    const hits: TimerHit[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // Limit counts items read before the filter: read a little more than needed.
      const limit = Math.max(range.limit - hits.length, 100);
      const res = await this.doc.send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) {
        if (hits.length >= range.limit) break;
        if (item[sk] === range.after) continue;
        hits.push({ sk: item[sk] as string, part: { pk: item.pk as string, sk: item.sk as string } });
      }
      start = res.LastEvaluatedKey;
    } while (start && hits.length < range.limit);
    return hits;
  }

  /** Consistent BatchGetItem, 100 keys a request, retrying what the service leaves unprocessed. */
  protected override async readParts(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<PartRecord[]> {
    const out: PartRecord[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      let batch: Array<Record<string, unknown>> | undefined = keys.slice(i, i + BATCH_GET_MAX).map((k) => ({ pk: k.pk, sk: k.sk }));
      for (let attempt = 0; batch && batch.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)));
        const res: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: batch,
                ConsistentRead: true,
                ProjectionExpression: 'pk, sk, #v, docz',
                ExpressionAttributeNames: { '#v': 'version' },
              },
            },
          }),
        );
        out.push(...(res.Responses?.[this.tableName] ?? []).map(fromItem));
        batch = res.UnprocessedKeys?.[this.tableName]?.Keys;
        if (attempt > 8 && batch?.length) throw new Error(`BatchGetItem left ${batch.length} keys unprocessed`);
      }
    }
    return out;
  }

  private async conditionalPut(record: PartRecord, condition: string, values?: Record<string, unknown>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: condition,
          // DynamoDB refuses names an expression does not use.
          ...(values ? { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
