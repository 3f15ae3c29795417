/**
 * Gives every gift document of a CloudBase collection written before the timer index its new index fields (see README,
 * "Upgrading an existing table"). Run it once after deploying, with an API key of the environment:
 *
 *   TCB_ENV=<envId> TENCENTCLOUD_SECRETID=… TENCENTCLOUD_SECRETKEY=… npm run migrate:cloudbase -- --collection songli_gifts
 *
 * Each document is one compare-and-set on its version, so it is safe while traffic flows and safe to run again.
 */
import { parseArgs } from 'node:util';
import type { CloudbaseDb } from '../shared/adapters/cloudbase/cloudbase-db';
import { CloudbaseGiftStore } from '../shared/adapters/cloudbase/cloudbase-gift-store';

const { values } = parseArgs({
  options: { collection: { type: 'string', default: 'songli_gifts' }, 'timer-shards': { type: 'string', default: '16' } },
});
const { default: tcb } = await import('@cloudbase/node-sdk');
const app = tcb.init({
  env: process.env.TCB_ENV,
  secretId: process.env.TENCENTCLOUD_SECRETID,
  secretKey: process.env.TENCENTCLOUD_SECRETKEY,
});
const db: CloudbaseDb = app.database();
const store = new CloudbaseGiftStore(db, values.collection, { timerShards: Number(values['timer-shards']) });
let total = 0;
for (let n = await store.upgradeDocuments(); n > 0; n = await store.upgradeDocuments()) {
  total += n;
  process.stdout.write(`\rupgraded ${total}`);
}
console.log(`\ndone: ${total} documents of ${values.collection} carry the new index fields`);
