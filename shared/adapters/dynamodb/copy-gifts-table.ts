import { inflateRawSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Gift } from '../../domain/gift';
import { giftItem } from './dynamodb-gift-store';

export interface CopyReport {
  scanned: number;
  copied: number;
  /** Already in the target at the same or a newer version (written there since, or copied before). */
  kept: number;
  /** Items that are not gifts (rate-limit counters): short-lived, left behind. */
  skipped: number;
}

const giftOf = (item: Record<string, unknown>): Gift | null => {
  if (item.docz) return JSON.parse(inflateRawSync(item.docz as Uint8Array).toString('utf8')) as Gift;
  if (typeof item.doc === 'string') return JSON.parse(item.doc) as Gift;
  if (item.doc && typeof item.doc === 'object') return item.doc as Gift; // the first layout stored a map
  return null;
};

/**
 * Copies every gift of a table in any earlier layout into a table of the current layout (its indexes and item
 * attributes are derived from the document, so the copy is a re-put of each document). Parallel scan segments;
 * each put is conditional, so a gift the new deployment already changed in the target is never overwritten with
 * an older version, and running the copy again is harmless.
 */
export async function copyGiftsTable(
  client: DynamoDBClient,
  opts: { from: string; to: string; timerShards: number; segments?: number; onProgress?: (r: CopyReport) => void },
): Promise<CopyReport> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const report: CopyReport = { scanned: 0, copied: 0, kept: 0, skipped: 0 };
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
        if (!gift) {
          report.skipped++;
          continue;
        }
        try {
          await doc.send(
            new PutCommand({
              TableName: opts.to,
              Item: giftItem(gift, opts.timerShards),
              ConditionExpression: 'attribute_not_exists(id) OR #v < :v',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': gift.version },
            }),
          );
          report.copied++;
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
