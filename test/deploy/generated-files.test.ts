/**
 * Every file derived from functions/manifest.ts (Lambda and CloudBase entries, serverless.yml's functions and table
 * indexes, cloudbaserc.json) is committed exactly as `npm run gen` writes it, and no entry outlives its function.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { differences, generateDeployFiles, ROOT, staleEntries } from '../../scripts/generate-deploy-files';
import { deploysTo, httpRoutesOf } from '../../shared/composition/function-manifest';

describe('files generated from the function manifest', () => {
  const files = generateDeployFiles(FUNCTIONS);

  it('are committed as `npm run gen` writes them', () => {
    expect(differences(files), 'run `npm run gen` and commit the result').toEqual([]);
  });

  it('leave no entry behind for a function the manifest no longer lists', () => {
    expect(staleEntries(files)).toEqual([]);
  });

  it('give each function an entry per target it deploys to, and only http-api a CloudBase entry alone', () => {
    const entries = [...files.keys()].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('functions/'));
    for (const f of FUNCTIONS) {
      for (const target of ['aws', 'cloudbase'] as const) {
        const entry = `functions/${f.name}/${target}.ts`;
        if (deploysTo(f, target)) expect(entries).toContain(entry);
        else expect(entries).not.toContain(entry);
      }
    }
    expect(FUNCTIONS.filter((f) => !deploysTo(f, 'aws')).map((f) => f.name)).toEqual(['http-api']);
  });

  it('keeps the sign-in functions off CloudBase (WX_OPENID there) and out of its http-api gateway', () => {
    const signIn = ['auth-wechat', 'openid-configuration', 'jwks'];
    const awsOnly = FUNCTIONS.filter((f) => !deploysTo(f, 'cloudbase'));
    expect(awsOnly.filter((f) => f.kind === 'http').map((f) => f.name)).toEqual(signIn);
    // And the change-stream consumer: CloudBase has timers only (its dispatchers drain within their time budget).
    expect(awsOnly.filter((f) => f.kind !== 'http').map((f) => f.name)).toEqual(['dispatch-stream']);
    const gatewayPaths = httpRoutesOf(FUNCTIONS, 'cloudbase').map((r) => r.op.path);
    expect(gatewayPaths).not.toContain('/auth/wechat');
    expect(gatewayPaths.filter((p) => p.startsWith('/.well-known'))).toEqual([]);
    expect(httpRoutesOf(FUNCTIONS).map((r) => r.op.path)).toEqual(expect.arrayContaining(['/auth/wechat', '/.well-known/jwks.json']));
    const rc = JSON.parse(files.get(join(ROOT, 'cloudbaserc.json'))!);
    for (const name of signIn) expect(rc.functions.map((f: { name: string }) => f.name)).not.toContain(name);
  });

  it('passes each function the settings it requires, and only to it', () => {
    const fns = JSON.parse(files.get(join(ROOT, 'build/generated/serverless-functions.json'))!);
    expect(fns['auth-wechat'].environment).toEqual({ REQUIRED_SETTINGS: 'AUTH_JWT_PRIVATE_KEY,WECHAT_APPID,WECHAT_APP_SECRET' });
    expect(fns.jwks.environment).toEqual({ REQUIRED_SETTINGS: 'AUTH_JWT_PRIVATE_KEY' });
    expect(fns['list-products'].environment).toBeUndefined();
  });
});
