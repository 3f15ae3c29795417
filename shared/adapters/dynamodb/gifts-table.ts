import type { GiftIndex } from '../../store/index-entries';
import type { CreateTableCommandInput } from '../aws/dynamodb-client';

/**
 * One table, one item per gift (`id`), the document as one JSON string in `doc`. Top-level attributes exist only to
 * key the indexes and are left out when the gift is not in that index, which keeps the indexes sparse:
 *
 * - giver (`giverId`, `giverSk`) and recipient (`recipientId`, `recipientSk`): KEYS_ONLY. Their keys never change
 *   after they appear, so a gift's many rewrites cost these indexes nothing; lists read the documents by key.
 * - timer (`timerPk` = `timer#<shard>`, `timerSk` = `<earliest due>#<id>`): INCLUDE `timerKinds` (a string set), so a
 *   job filters its own kind without reading documents. Sharded by a hash of the gift id: no constant partition key.
 *
 * Claim-link lookups match `claimHash` with a filtered Query on the primary key, and rate-limit counters are items
 * `limit#…` with a `ttl`, in no index.
 */
export const DYNAMO_INDEXES: Record<GiftIndex, { name: string; pk: string; sk: string; include?: string[] }> = {
  giver: { name: 'giver', pk: 'giverId', sk: 'giverSk' },
  recipient: { name: 'recipient', pk: 'recipientId', sk: 'recipientSk' },
  timer: { name: 'timer', pk: 'timerPk', sk: 'timerSk', include: ['timerKinds'] },
};

export function giftsTableDefinition(tableName: string): CreateTableCommandInput {
  const attrs = new Set<string>(['id']);
  for (const { pk, sk } of Object.values(DYNAMO_INDEXES)) {
    attrs.add(pk);
    attrs.add(sk);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: Object.values(DYNAMO_INDEXES).map(({ name, pk, sk, include }) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ],
      Projection: include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: include } : { ProjectionType: 'KEYS_ONLY' },
    })),
  };
}
