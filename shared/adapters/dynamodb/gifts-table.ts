import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { EffectKind } from '../../domain/gift';

/**
 * One table, one item per gift. The document lives in `doc`; the top-level attributes exist only to key
 * the indexes and are omitted when null, which keeps the cleanup and outbox indexes sparse.
 */
export const GIFT_INDEXES = {
  byGiver: { pk: 'giverId', sk: 'createdAt' },
  byRecipient: { pk: 'recipientId', sk: 'claimedAt' },
  /** Cleanup candidates: status (awaiting_payment | sent | claimed) + deadline. */
  bySweep: { pk: 'sweepStatus', sk: 'sweepAt' },
  handoffDue: { pk: 'handoffQueue', sk: 'handoffDueAt' },
  refundDue: { pk: 'refundQueue', sk: 'refundDueAt' },
  notifyDue: { pk: 'notifyQueue', sk: 'notifyDueAt' },
} as const;

export const EFFECT_INDEX: Record<EffectKind, keyof typeof GIFT_INDEXES> = { handoff: 'handoffDue', refund: 'refundDue', notify: 'notifyDue' };

/** Value of every outbox index's partition key. */
export const QUEUE_DUE = 'due';

export function giftsTableDefinition(tableName: string): CreateTableCommandInput {
  const attrs = new Set<string>(['id']);
  for (const { pk, sk } of Object.values(GIFT_INDEXES)) (attrs.add(pk), attrs.add(sk));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: Object.entries(GIFT_INDEXES).map(([name, { pk, sk }]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
