import type { CloudbaseDb } from '../../adapters/cloudbase/cloudbase-db';
import { CloudbaseGiftStore } from '../../adapters/cloudbase/cloudbase-gift-store';
import { CloudbaseSharedValues } from '../../adapters/cloudbase/cloudbase-shared-values';
import { wiredSettingsChecks } from '../../composition/adapter-factories';
import { buildDeps } from '../../composition/build-deps';
import type { Runtime } from '../../composition/runtime';
import { cloudbaseConfig } from '../../config/cloudbase-config';
import { readConfig } from '../../config/read-config';
import { once } from '../../lib/once';
import type { CloudbaseEngine } from './cloudbase-engine-adapters';
import { loadTcb } from './cloudbase-sdk';

/** The CloudBase edge of the composition root: the gift store is the environment's document database. */
export const cloudbaseRuntime = once(async (): Promise<Runtime> => {
  const config = readConfig(cloudbaseConfig(wiredSettingsChecks()));
  const tcb = await loadTcb();
  // Inside a cloud function the SDK needs no credentials; SYMBOL_CURRENT_ENV is the function's own environment.
  const app = tcb.init({ env: config.TCB_ENV ?? tcb.SYMBOL_CURRENT_ENV });
  const db: CloudbaseDb = app.database();
  const store = new CloudbaseGiftStore(db, config.TCB_COLLECTION, { timerShards: config.TIMER_SHARDS });
  const deps = buildDeps(config, {
    store,
    sharedValues: new CloudbaseSharedValues(db, config.TCB_VALUES_COLLECTION),
    platform: 'cloudbase',
    engine: {
      db,
      limitsCollection: config.TCB_LIMITS_COLLECTION,
      partsCollection: config.TCB_PARTS_COLLECTION,
      timerShards: config.TIMER_SHARDS,
    } satisfies CloudbaseEngine,
  });
  return { deps, callbackSecret: config.MERCHANT_CALLBACK_SECRET ?? null };
});
