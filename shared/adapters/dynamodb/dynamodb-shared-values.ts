import type { SharedValue, SharedValues } from '../../ports/shared-values';
import { ConditionalCheckFailedException, type DynamoDBClient } from '../aws/dynamodb-client';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '../aws/dynamodb-document';

/**
 * Shared values as items of the gifts table (id `value#<key>`, attributes `val` and `ver`, in no index, like the
 * attempt-limiter's `limit#…` items): a consistent read, and a put conditioned on the version it replaces.
 */
export class DynamoDbSharedValues implements SharedValues {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async read(key: string): Promise<SharedValue | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { id: `value#${key}` }, ConsistentRead: true, ProjectionExpression: 'val, ver' }),
    );
    return out.Item ? { value: String(out.Item.val), version: Number(out.Item.ver) } : null;
  }

  async writeIf(key: string, value: string, expected: number | null): Promise<SharedValue | null> {
    const version = (expected ?? 0) + 1;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id: `value#${key}`, val: value, ver: version },
          ...(expected === null
            ? { ConditionExpression: 'attribute_not_exists(id)' }
            : { ConditionExpression: 'ver = :expected', ExpressionAttributeValues: { ':expected': expected } }),
        }),
      );
      return { value, version };
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return null;
      throw e;
    }
  }
}
