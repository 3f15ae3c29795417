/**
 * Copies the gifts of a table in an earlier layout into a table of the current one (see README, "Upgrading an
 * existing table"). Run it right after deploying the version that created the new table:
 *
 *   npm run migrate:dynamodb -- --from songli-gifts-prod --to songli-gifts-v2-prod --region ap-northeast-1
 *
 * Uses the AWS credentials of the shell (read Scan on the old table, PutItem on the new). Safe to run again.
 * The copy goes through the functions' own DynamoDB client (shared/adapters/aws/); the shell's credentials (environment,
 * profile, SSO…) come from the AWS SDK's credential chain, a dev dependency: this is an operator's tool, never deployed.
 */
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { DynamoDBClient } from '../shared/adapters/aws/dynamodb-client';
import { copyGiftsTable } from '../shared/adapters/dynamodb/copy-gifts-table';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    'timer-shards': { type: 'string', default: '16' },
    segments: { type: 'string', default: '8' },
  },
});
if (!values.from || !values.to) {
  console.error('usage: npm run migrate:dynamodb -- --from <old table> --to <new table> [--region r] [--timer-shards 16] [--segments 8]');
  process.exit(2);
}
const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) {
  console.error('no region: pass --region (or set AWS_REGION)');
  process.exit(2);
}
const client = new DynamoDBClient({ region, credentials: defaultProvider(), endpoint: values.endpoint });
const started = Date.now();
const report = await copyGiftsTable(client, {
  from: values.from,
  to: values.to,
  timerShards: Number(values['timer-shards']),
  segments: Number(values.segments),
  onProgress: (r) =>
    process.stdout.write(`\rscanned ${r.scanned}, copied ${r.copied} (+${r.values} values), kept ${r.kept}, skipped ${r.skipped}`),
});
client.destroy();
console.log(`\ndone in ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(report)}`);
