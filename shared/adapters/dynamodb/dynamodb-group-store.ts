import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { GroupStoreCore, type PartRange, type PartRecord } from '../../store/group-store-core';

type Item = Record<string, unknown> & { pk: string; sk: string; version: number; docz: Uint8Array };

// Raw-deflated JSON in one binary attribute, as gift items (dynamodb-gift-store.ts): a unit is ~0.7 KB, one write unit.
const toItem = (r: PartRecord): Item => ({ pk: r.pk, sk: r.sk, version: r.version, docz: deflateRawSync(JSON.stringify(r.doc)) });
const fromItem = (item: Record<string, unknown>): PartRecord => ({
  pk: item.pk as string,
  sk: item.sk as string,
  version: Number(item.version),
  doc: JSON.parse(inflateRawSync(item.docz as Uint8Array).toString('utf8')) as object,
});

/**
 * Group parts on DynamoDB (the parts table, parts-table.ts): consistent GetItem and Query, a conditional insert is a
 * PutItem with `attribute_not_exists(sk)`, a compare-and-set a PutItem with `#v = :expected` (`#v` = version).
 */
export class DynamoDbGroupStore extends GroupStoreCore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    super();
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
