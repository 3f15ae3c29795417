import { DynamoDBClient } from '../../adapters/aws/dynamodb-client';
import { DynamoDbGiftStore } from '../../adapters/dynamodb/dynamodb-gift-store';
import { DynamoDbSharedValues } from '../../adapters/dynamodb/dynamodb-shared-values';
import { wiredSettingsChecks } from '../../composition/adapter-factories';
import { buildDeps } from '../../composition/build-deps';
import type { Runtime } from '../../composition/runtime';
import { awsConfig } from '../../config/aws-config';
import { readConfigWithStore } from '../../config/read-config';
import { once } from '../../lib/once';
import { awsCredentials } from './aws-credentials';
import type { AwsEngine } from './aws-engine-adapters';
import { loadAwsSecrets } from './aws-secrets';

/**
 * The AWS edge of the composition root: built on the first invocation of a cold instance, reused while warm. Its one
 * network call is the secrets' (aws-secrets.ts): one batched read per cold start, never on a warm invocation; a failed
 * read fails this invocation and the next one tries again (once()). DynamoDB, SSM and Secrets Manager are reached
 * through the small AWS JSON client of shared/adapters/aws/, not the AWS SDK (a third of the bundle, BENCHMARKS.md).
 */
export const awsRuntime = once(async (): Promise<Runtime> => {
  const config = await readConfigWithStore(awsConfig(wiredSettingsChecks()), loadAwsSecrets);
  // A local stand-in (tests) answers or fails for good, however slowly on a loaded machine: no retries, a long timeout.
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    credentials: awsCredentials(),
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT, maxAttempts: 1, timeoutMs: 30_000 } : {}),
  });
  const store = new DynamoDbGiftStore(client, config.GIFTS_TABLE, {
    timerShards: config.TIMER_SHARDS,
    streamFirstDelivery: config.DISPATCH_FIRST_DELIVERY_SECONDS > 0,
  });
  const deps = buildDeps(config, {
    store,
    sharedValues: new DynamoDbSharedValues(client, config.GIFTS_TABLE),
    platform: 'aws',
    engine: {
      client,
      giftsTable: config.GIFTS_TABLE,
      partsTable: config.PARTS_TABLE,
      timerShards: config.TIMER_SHARDS,
    } satisfies AwsEngine,
  });
  return { deps, callbackSecret: config.MERCHANT_CALLBACK_SECRET ?? null };
});
