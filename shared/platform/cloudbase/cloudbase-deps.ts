import { CloudbaseAttemptLimiter } from '../../adapters/cloudbase/cloudbase-attempt-limiter';
import type { CloudbaseDb } from '../../adapters/cloudbase/cloudbase-db';
import { CloudbaseGiftStore } from '../../adapters/cloudbase/cloudbase-gift-store';
import { CachedAttemptLimiter } from '../../adapters/system/cached-attempt-limiter';
import { readDeployConfig } from '../../config/deploy-config';
import type { Deps } from '../../ports/deps';
import { deployedDeps, once } from '../deployed-deps';
import { loadTcb } from './cloudbase-sdk';

/** CloudBase composition root: the gift store is the environment's document database. */
export const cloudbaseDeps = once(async (): Promise<Deps> => {
  const config = readDeployConfig();
  const tcb = await loadTcb();
  // Inside a cloud function the SDK needs no credentials; SYMBOL_CURRENT_ENV is the function's own environment.
  const app = tcb.init({ env: config.TCB_ENV ?? tcb.SYMBOL_CURRENT_ENV });
  const db: CloudbaseDb = app.database();
  return deployedDeps(config, { store: new CloudbaseGiftStore(db, config.TCB_COLLECTION), limiter: new CachedAttemptLimiter(new CloudbaseAttemptLimiter(db)) }, 'cloudbase');
});
