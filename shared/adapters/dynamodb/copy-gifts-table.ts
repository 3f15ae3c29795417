import type { DynamoDBClient } from '../aws/dynamodb-client';
import { ConditionalCheckFailedException } from '../aws/dynamodb-client';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, type ScanCommandOutput } from '../aws/dynamodb-document';
import { giftItem } from './dynamodb-gift-store';
import { decodeDocument } from './stored-document';

export interface CopyReport {
  scanned: number;
  copied: number;
  /** Already in the target at the same or a newer version (written there since, or copied before). */
  kept: number;
  /** Items that are not gifts (rate-limit counters): short-lived, left behind. */
  skipped: number;
  /** Shared values (users' profiles, the WeChat access token) copied as they are (`value#…` items). */
  values: number;
}

/** A shared value's item (shared/adapters/dynamodb/dynamodb-shared-values.ts): durable data since profiles live there. */
const isSharedValue = (item: Record<string, unknown>) =>
  typeof item.id === 'string' && item.id.startsWith('value#') && typeof item.ver === 'number';

const giftOf = decodeDocument;

/**
 * Copies every gift of a table in any earlier layout into a table of the current layout (its indexes and item
 * attributes are derived from the document, so the copy is a re-put of each document). Parallel scan segments;
 * each put is conditional, so a gift the new deployment already changed in the target is never overwritten with
 * an older version, and running the copy again is harmless. Shared values (profiles) are copied too, by the same rule.
 */
export async function copyGiftsTable(
  client: DynamoDBClient,
  opts: { from: string; to: string; timerShards: number; segments?: number; onProgress?: (r: CopyReport) => void },
): Promise<CopyReport> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const report: CopyReport = { scanned: 0, copied: 0, kept: 0, skipped: 0, values: 0 };
  const segments = opts.segments ?? 4;
  const segment = async (n: number) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await doc.send(
        new ScanCommand({ TableName: opts.from, Segment: n, TotalSegments: segments, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) {
        report.scanned++;
        const gift = giftOf(item);
        const value = !gift && isSharedValue(item);
        if (!gift && !value) {
          report.skipped++;
          continue;
        }
        try {
          // Either kind is put only over nothing or an older version: what the new deployment wrote since stays.
          await doc.send(
            new PutCommand({
              TableName: opts.to,
              Item: gift ? giftItem(gift, opts.timerShards) : { id: item.id, val: item.val, ver: item.ver },
              ConditionExpression: 'attribute_not_exists(id) OR #v < :v',
              ExpressionAttributeNames: { '#v': gift ? 'version' : 'ver' },
              ExpressionAttributeValues: { ':v': gift ? gift.version : item.ver },
            }),
          );
          if (gift) report.copied++;
          else report.values++;
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
          report.kept++;
        }
      }
      opts.onProgress?.(report);
      start = page.LastEvaluatedKey;
    } while (start);
  };
  await Promise.all(Array.from({ length: segments }, (_, n) => segment(n)));
  return report;
}
