/**
 * `npm run test:browser` (run by `npm test` before the tests): makes sure the browser tests have a Chromium —
 * CHROMIUM_PATH, Debian's, Playwright's, else installs one (test/support/browser.ts decides) — or says what to do.
 * DynamoDB Local's tests need a JRE the same way: installed by apt when root on Debian, else named.
 */
import { spawnSync } from 'node:child_process';
import { ensureChromium, systemBrowserEnv } from '../test/support/browser';
import { hasJava, JAVA_MISSING } from '../test/support/dynamodb-local';

try {
  console.log(`Chromium for the browser tests: ${ensureChromium()}`);
  if (!hasJava()) {
    const env = systemBrowserEnv();
    if (!env.isRoot || !env.isDebian) throw new Error(JAVA_MISSING);
    console.log('No Java found for DynamoDB Local: installing default-jre-headless');
    const apt = (...args: string[]) =>
      spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (!apt('update', '-qq') || !apt('install', '-y', '-qq', '--no-install-recommends', 'default-jre-headless') || !hasJava())
      throw new Error(`Installing a JRE failed. ${JAVA_MISSING}`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
