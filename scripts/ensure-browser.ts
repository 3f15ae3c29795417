/**
 * `npm run test:browser` (run by `npm test` before the tests): makes sure the browser tests have a Chromium —
 * CHROMIUM_PATH, Debian's, Playwright's, else installs one (test/support/browser.ts decides) — or says what to do.
 */
import { ensureChromium } from '../test/support/browser';

try {
  console.log(`Chromium for the browser tests: ${ensureChromium()}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
