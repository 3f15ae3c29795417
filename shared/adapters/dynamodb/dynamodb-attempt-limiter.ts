import type { GiftDocument } from '../../domain/gift-document';
import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';
import type { DynamoDBClient } from '../aws/dynamodb-client';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '../aws/dynamodb-document';
import { DOCUMENT_ATTRIBUTES, DOCUMENT_PROJECTION, decodeDocument } from './stored-document';

/**
 * Counters as items of the gifts table (id `limit#<key>#<window>`, outside every index): one atomic
 * ADD per failure, and a `ttl` attribute so DynamoDB deletes spent windows.
 *
 * `withGifts`: the table is the gifts table (as deployed), so a claim-link lookup reads the caller's counter and the
 * gift in one BatchGetItem (failuresWithClaim) instead of two requests.
 */
export class DynamoDbAttemptLimiter implements AttemptLimiter {
  private readonly doc: DynamoDBDocumentClient;
  readonly failuresWithClaim?: AttemptLimiter['failuresWithClaim'];

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    opts: { withGifts?: boolean } = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
    if (opts.withGifts) this.failuresWithClaim = (key, now, window, claim) => this.readWithClaim(key, now, window, claim);
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

  /**
   * Both items, strongly consistent (the lookup was; the counter costs a read unit either way). A wrong secret's item
   * comes back but is compared by its hash alone and dropped undecoded: it answers like an unknown id, with the same
   * work in this process (BatchGetItem cannot filter; the bytes of one small item more on the wire are the difference).
   */
  private async readWithClaim(
    key: string,
    now: string,
    windowSeconds: number,
    claim: { giftId: string; claimTokenHash: string },
  ): Promise<{ failures: number; gift: GiftDocument | null }> {
    const counterId = attemptWindow(key, now, windowSeconds).id;
    let keys: Array<Record<string, unknown>> | undefined = [{ id: counterId }, { id: claim.giftId }];
    const items: Array<Record<string, unknown>> = [];
    for (let attempt = 0; keys && keys.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)));
      if (attempt > 8) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
      const res: BatchGetCommandOutput = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: `id, hits, claimHash, ${DOCUMENT_PROJECTION}`,
              ExpressionAttributeNames: DOCUMENT_ATTRIBUTES,
            },
          },
        }),
      );
      items.push(...(res.Responses?.[this.tableName] ?? []));
      keys = res.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    const counter = items.find((i) => i.id === counterId);
    const item = items.find((i) => i.id === claim.giftId);
    const matches = item !== undefined && item.claimHash === claim.claimTokenHash;
    return { failures: Number(counter?.hits ?? 0), gift: matches ? decodeDocument(item) : null };
  }
}
