import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAttemptLimiter } from '../../adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../../adapters/dynamodb/dynamodb-gift-store';
import { CachedAttemptLimiter } from '../../adapters/system/cached-attempt-limiter';
import { readDeployConfig } from '../../config/deploy-config';
import type { Deps } from '../../ports/deps';
import { deployedDeps, once } from '../deployed-deps';

/** AWS composition root: built on the first invocation of a cold instance and reused while it stays warm. */
export const awsDeps = once(async (): Promise<Deps> => {
  const config = readDeployConfig();
  if (!config.GIFTS_TABLE) throw new Error('invalid configuration:\n  GIFTS_TABLE: required on AWS');
  const client = new DynamoDBClient(
    config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT, region: process.env.AWS_REGION ?? 'local', maxAttempts: 1 } : {},
  );
  return deployedDeps(config, { store: new DynamoDbGiftStore(client, config.GIFTS_TABLE), limiter: new CachedAttemptLimiter(new DynamoDbAttemptLimiter(client, config.GIFTS_TABLE)) }, 'aws');
});
