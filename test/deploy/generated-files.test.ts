/**
 * Every file derived from functions/manifest.ts (Lambda and CloudBase entries, serverless.yml's functions and table
 * indexes, cloudbaserc.json) is committed exactly as `npm run gen` writes it, and no entry outlives its function.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { differences, generateDeployFiles, ROOT, staleEntries } from '../../scripts/generate-deploy-files';

describe('files generated from the function manifest', () => {
  const files = generateDeployFiles(FUNCTIONS);

  it('are committed as `npm run gen` writes them', () => {
    expect(differences(files), 'run `npm run gen` and commit the result').toEqual([]);
  });

  it('leave no entry behind for a function the manifest no longer lists', () => {
    expect(staleEntries(files)).toEqual([]);
  });

  it('give every HTTP and scheduled function both entries, and only http-api a CloudBase entry alone', () => {
    const entries = [...files.keys()].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('functions/'));
    for (const f of FUNCTIONS) {
      expect(entries).toContain(`functions/${f.name}/cloudbase.ts`);
      if (f.kind === 'cloudbase-gateway') expect(entries).not.toContain(`functions/${f.name}/aws.ts`);
      else expect(entries).toContain(`functions/${f.name}/aws.ts`);
    }
  });
});
