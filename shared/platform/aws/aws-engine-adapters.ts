import type { DynamoDBClient } from '../../adapters/aws/dynamodb-client';
import { DynamoDbAttemptLimiter } from '../../adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGroupStore } from '../../adapters/dynamodb/dynamodb-group-store';
import type { AdapterFactory } from '../../composition/adapter-factories';
import type { AttemptLimiter } from '../../ports/attempt-limiter';
import type { GroupStore } from '../../ports/group-store';

/** What aws-runtime.ts opens once per instance and hands the adapters kept in DynamoDB. */
export interface AwsEngine {
  client: DynamoDBClient;
  giftsTable: string;
  partsTable: string;
  timerShards: number;
}

/** The group orders' parts, in their own table: wired by the functions that reach them (most gift functions). */
export const dynamoDbGroupStore: AdapterFactory<GroupStore> = {
  build: (_, { engine }) => {
    const { client, partsTable, timerShards } = engine as AwsEngine;
    return new DynamoDbGroupStore(client, partsTable, { timerShards });
  },
  settings: () => [],
};

/**
 * The claim-lookup limiter, counters beside the gifts: wired by the entries of the functions that look claims up
 * (`npm run gen`), so the others do not carry it.
 */
export const dynamoDbLimiter: AdapterFactory<AttemptLimiter> = {
  build: (_, { engine }) => {
    const { client, giftsTable } = engine as AwsEngine;
    return new DynamoDbAttemptLimiter(client, giftsTable, { withGifts: true });
  },
  settings: () => [],
};
