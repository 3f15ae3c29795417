import { CloudbaseAttemptLimiter } from '../../adapters/cloudbase/cloudbase-attempt-limiter';
import type { CloudbaseDb } from '../../adapters/cloudbase/cloudbase-db';
import type { AdapterFactory } from '../../composition/adapter-factories';
import type { AttemptLimiter } from '../../ports/attempt-limiter';

/** What cloudbase-runtime.ts opens once per instance and hands the adapters kept in the document database. */
export interface CloudbaseEngine {
  db: CloudbaseDb;
  limitsCollection: string;
}

/**
 * The claim-lookup limiter, counters in their own collection: wired by the entries of the functions that look claims
 * up (`npm run gen`), so the others do not carry it.
 */
export const cloudbaseLimiter: AdapterFactory<AttemptLimiter> = {
  build: (_, { engine }) => {
    const { db, limitsCollection } = engine as CloudbaseEngine;
    return new CloudbaseAttemptLimiter(db, limitsCollection);
  },
  settings: () => [],
};
