import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAttemptLimiter } from '../../adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../../adapters/dynamodb/dynamodb-gift-store';
import { DynamoDbGroupStore } from '../../adapters/dynamodb/dynamodb-group-store';
import { DynamoDbSharedValues } from '../../adapters/dynamodb/dynamodb-shared-values';
import { buildDeps } from '../../composition/build-deps';
import type { Runtime } from '../../composition/runtime';
import { AwsConfig } from '../../config/aws-config';
import { readConfigWithStore } from '../../config/read-config';
import { once } from '../../lib/once';
import { loadAwsSecrets } from './aws-secrets';

/**
 * The AWS edge of the composition root: built on the first invocation of a cold instance, reused while warm. Its one
 * network call is the secrets' (aws-secrets.ts): one batched read per cold start, never on a warm invocation; a failed
 * read fails this invocation and the next one tries again (once()).
 */
export const awsRuntime = once(async (): Promise<Runtime> => {
  const config = await readConfigWithStore(AwsConfig, loadAwsSecrets);
  const client = new DynamoDBClient(
    config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION, maxAttempts: 1 } : {},
  );
  const store = new DynamoDbGiftStore(client, config.GIFTS_TABLE, {
    timerShards: config.TIMER_SHARDS,
    streamFirstDelivery: config.DISPATCH_FIRST_DELIVERY_SECONDS > 0,
  });
  const deps = buildDeps(config, {
    store,
    groupStore: new DynamoDbGroupStore(client, config.PARTS_TABLE, { timerShards: config.TIMER_SHARDS }),
    limiter: new DynamoDbAttemptLimiter(client, config.GIFTS_TABLE, { withGifts: true }),
    sharedValues: new DynamoDbSharedValues(client, config.GIFTS_TABLE),
    platform: 'aws',
  });
  return { deps, callbackSecret: config.MERCHANT_CALLBACK_SECRET ?? null };
});
