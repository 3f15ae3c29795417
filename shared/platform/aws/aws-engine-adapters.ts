import type { DynamoDBClient } from '../../adapters/aws/dynamodb-client';
import { DynamoDbAttemptLimiter } from '../../adapters/dynamodb/dynamodb-attempt-limiter';
import type { AdapterFactory } from '../../composition/adapter-factories';
import type { AttemptLimiter } from '../../ports/attempt-limiter';

/** What aws-runtime.ts opens once per instance and hands the adapters kept in DynamoDB. */
export interface AwsEngine {
  client: DynamoDBClient;
  giftsTable: string;
}

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
