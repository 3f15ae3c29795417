import type { CreateTableCommandInput } from '../aws/dynamodb-client';

/**
 * The parts of group orders (units, claim markers, lottery entries, draw lists: shared/store/group-store-core.ts) in a
 * table of their own, keyed (`pk`, `sk`). Not in the gifts table: its key is `id` alone, so the units of an order
 * could only be found together through a secondary index, which reads eventually consistent, while a claimer must
 * see a unit written a moment ago. With a sort key they are one strongly consistent Query of the order's partition.
 *
 * One GSI, `timer` (`timerPk` = `utimer#<shard>`, `timerSk` = `<earliest due>#<unitId>`), INCLUDE `timerKinds`: only
 * unit items waiting for an effect carry these attributes, so the index is sparse and the dispatchers filter their
 * kind without reading documents (as the gifts table's `timer` index, gifts-table.ts).
 */
export const PARTS_TIMER_INDEX = { name: 'timer', pk: 'timerPk', sk: 'timerSk', kinds: 'timerKinds' } as const;

export function partsTableDefinition(tableName: string): CreateTableCommandInput {
  const { name, pk, sk, kinds } = PARTS_TIMER_INDEX;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: pk, AttributeType: 'S' },
      { AttributeName: sk, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: name,
        KeySchema: [
          { AttributeName: pk, KeyType: 'HASH' },
          { AttributeName: sk, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [kinds] },
      },
    ],
  };
}
