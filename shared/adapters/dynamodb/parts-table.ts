import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The parts of group orders (units, claim markers, lottery entries, draw lists: shared/store/group-store-core.ts) in a
 * table of their own, keyed (`pk`, `sk`). Not in the gifts table: its key is `id` alone, so the units of an order
 * could only be found together through a secondary index, which reads eventually consistent, while a claimer must
 * see a unit written a moment ago. With a sort key they are one strongly consistent Query of the order's partition.
 */
export function partsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}
