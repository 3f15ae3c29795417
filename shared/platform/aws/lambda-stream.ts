import '../cold-start-settings';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { documentOfStreamImage } from '../../adapters/dynamodb/stream-image';
import type { RuntimeFactory } from '../../composition/runtime';
import type { OutboxDocument } from '../../domain/outbox-document';
import type { ChangeConsumer } from '../../jobs/change-consumer';
import { mapLimit } from '../../lib/map-limit';
import { awsRuntime } from './aws-runtime';

/** Documents handled at once within a batch (each is a few store writes and receiver calls). */
const CONCURRENCY = 16;

/**
 * The Lambda edge of a change consumer: a batch of DynamoDB stream records (filtered to items with a pending effect).
 * Records of one document are handled once, with its newest image (the handler reads again on a conflict anyway). A
 * document whose handling threw (the store failed) reports its first record's SequenceNumber in `batchItemFailures`:
 * Lambda retries the batch from there (ReportBatchItemFailures; bisected on error), and the scheduled pass is the net
 * behind it. A receiver's refusal is not a failure here: the outbox records it and retries after its backoff.
 */
export function lambdaStreamHandler<R>(consumer: ChangeConsumer<R>, runtime: RuntimeFactory = awsRuntime) {
  return async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const { deps } = await runtime();
    const byDocument = new Map<string, { first: DynamoDBRecord; doc: OutboxDocument }>();
    let skipped = 0;
    for (const record of event.Records ?? []) {
      const doc = documentOfStreamImage(record.dynamodb?.NewImage);
      if (!doc) {
        skipped++;
        continue;
      }
      const seen = byDocument.get(doc.id);
      byDocument.set(doc.id, { first: seen?.first ?? record, doc: seen && seen.doc.version > doc.version ? seen.doc : doc });
    }
    const failed: string[] = [];
    await mapLimit([...byDocument.values()], CONCURRENCY, async ({ first, doc }) => {
      try {
        await consumer.handle(deps, doc);
      } catch (e) {
        failed.push(first.dynamodb?.SequenceNumber ?? '');
        deps.logger.warn({ giftId: doc.id, err: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, 'stream record failed');
      }
    });
    deps.logger.info(
      {
        consumer: consumer.name,
        records: event.Records?.length ?? 0,
        documents: byDocument.size,
        skipped,
        failed: failed.length,
        requestId: context.awsRequestId,
      },
      'stream batch handled',
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
