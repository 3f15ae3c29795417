import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';
import type { DynamoDBClient } from '../aws/dynamodb-client';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '../aws/dynamodb-document';

/**
 * Counters as items of the gifts table (id `limit#<key>#<window>`, outside every index): one atomic
 * ADD per failure, and a `ttl` attribute so DynamoDB deletes spent windows.
 */
export class DynamoDbAttemptLimiter implements AttemptLimiter {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    const { id } = attemptWindow(key, now, windowSeconds);
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { id }, ProjectionExpression: 'hits' }));
    return Number(out.Item?.hits ?? 0);
  }

  async recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const { id, endsAt } = attemptWindow(key, now, windowSeconds);
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.floor(endsAt.getTime() / 1000) + 3600 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.hits ?? 1);
  }
}
