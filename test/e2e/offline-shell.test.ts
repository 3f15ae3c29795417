/**
 * The offline shell in real Chromium: after one visit, a reload while the server is down shows the app itself (its
 * header and 网络不可用 · 重试) instead of the browser's error page; once the server is back, 重试 loads the page.
 * Without the service worker the same reload fails, which is what the shell is for.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { launchChromium, phoneContext } from '../support/browser';
import { buildPages } from '../support/built-pages';
import { sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
const dataDir = join(tmp.dir, 'data');
const clock = new FixedClock(new Date());
let webRoot: string;
let t: TestServer | null = null;
let browser: Browser;
let port = 0;

/** (Re)starts the server on the same port and data, so the pages' address and sessions stay valid. */
async function startServer() {
  t = await startTestServer({ dataDir, clock, webRoot, env: { PORT: String(port) } });
  port = t.server.port;
  return t;
}

async function signedIn(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel('当前用户').selectOption('u_xiaoming');
  await page.getByText('支持送礼物').first().waitFor();
}

const banner = (page: Page) => page.getByTestId('offline-banner');

beforeAll(async () => {
  webRoot = await buildPages(join(tmp.dir, 'web'));
  await startServer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  tmp.remove();
});

describe('a reload while the server is down', () => {
  it('shows the app with 网络不可用 · 重试, and 重试 works once the server is back', async () => {
    const { token } = await sendGift(t!, 'u_xiaoming', 'sku_tea_250');
    const page = await (await phoneContext(browser, t!.server.url, { serviceWorkers: 'allow' })).newPage();
    await signedIn(page, `${t!.server.url}/`);
    // The service worker took over this page and keeps the shell (index.html and the hashed bundles).
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    expect(await banner(page).count()).toBe(0);

    await t!.stop();
    t = null;
    await page.reload();
    await page.getByRole('link', { name: '送礼物' }).waitFor(); // the app's own header, not the browser's error page
    await banner(page).getByText('网络不可用').waitFor();
    expect(await page.title()).toBe('精选好物 · 送礼物'); // the page's own title, set by the app
    expect(await page.getByText('支持送礼物').count()).toBe(0);

    // 重试 while still down: the banner stays, ready for another try.
    await banner(page).getByRole('button', { name: '重试' }).click();
    await banner(page).getByRole('button', { name: '重试' }).waitFor();
    expect(await banner(page).isVisible()).toBe(true);

    // A claim link opened while down shows the app too.
    await page.goto(`http://127.0.0.1:${port}/g/${token}`);
    await page.getByRole('link', { name: '送礼物' }).waitFor();
    await banner(page).getByText('网络不可用').waitFor();

    await page.goto(`http://127.0.0.1:${port}/`);
    await banner(page).waitFor();
    await startServer();
    await banner(page).getByRole('button', { name: '重试' }).click();
    await page.getByText('支持送礼物').first().waitFor();
    await banner(page).waitFor({ state: 'detached' });
  });

  it('shows the browser’s error page without the service worker (what the shell replaces)', async () => {
    t ??= await startServer(); // whatever the test before left
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${t!.server.url}/`);
    await t!.stop();
    t = null;
    await expect(page.reload()).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
    await startServer();
    await context.close();
  });
});
