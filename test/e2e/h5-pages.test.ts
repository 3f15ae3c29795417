/**
 * The H5 pages in a real browser (Debian's Chromium), against the real local server on 127.0.0.1: a giver
 * and a friend on two phones, then the expired, already-claimed and declined states. Screenshots land in
 * test-artifacts/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { launchChromium, phoneContext } from '../support/browser';
import { sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const tmp = tempDataDir();
let t: TestServer;
let browser: Browser;
let giver: Page;
let friend: Page;
let claimLink = '';

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function openAs(page: Page, url: string, userId: string) {
  await page.goto(url);
  await page.getByLabel('当前用户').selectOption(userId);
  // Browser-side expression (this file is type-checked without DOM types).
  await page.waitForFunction(`JSON.parse(localStorage.getItem('songli.session') ?? 'null')?.userId === ${JSON.stringify(userId)}`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const webRoot = join(tmp.dir, 'web');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), build: { outDir: webRoot, sourcemap: false }, logLevel: 'error' });
  // Real "now": the pages count down with the phone's clock, as they would in production.
  t = await startTestServer({ dataDir: join(tmp.dir, 'data'), clock: new FixedClock(new Date()), webRoot });
  browser = await launchChromium();
  giver = await (await phoneContext(browser, t.server.url)).newPage();
  friend = await (await phoneContext(browser, t.server.url)).newPage();
  // The giver's display name (PUT /me, issue 12), so 确认礼物 does not stop to ask for it (giver-pages.test.ts does).
  await t.api('PUT', '/me', { as: 'u_xiaoming', body: { displayName: '小明' } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  tmp.remove();
});

describe('the giver', () => {
  it('finds a giftable product, confirms the style and message, pays and gets a claim link to copy', async () => {
    await openAs(giver, `${t.server.url}/`, 'u_xiaoming');
    await expect.poll(() => giver.getByText('支持送礼物').count()).toBeGreaterThan(0);
    await shot(giver, '01-products');

    await giver.getByRole('link', { name: /羊绒围巾/ }).click();
    await giver.getByRole('heading', { name: '羊绒围巾' }).waitFor();
    await shot(giver, '02-product');
    await giver.getByRole('button', { name: '送给朋友' }).click();

    await giver.getByRole('heading', { name: '确认礼物' }).waitFor();
    expect(await giver.getByRole('radio', { name: /酒红/ }).isDisabled()).toBe(true); // out of stock
    await giver.getByRole('radio', { name: /雾霾蓝/ }).check();
    await giver.getByLabel('给朋友留言（选填）').fill('天冷了，围上吧 🧣');
    await expect.poll(() => giver.locator('#message-count').textContent()).toBe('9/100');
    await shot(giver, '03-confirm');
    await giver.getByRole('button', { name: /支付 ¥299\.00 并送出/ }).click();

    await giver.getByRole('heading', { name: '礼物卡' }).waitFor();
    await expect.poll(() => giver.getByTestId('gift-status').textContent()).toBe('待领取');
    claimLink = await giver.getByLabel('领取链接').inputValue();
    expect(claimLink).toMatch(new RegExp(`^${t.server.url}/g/g_[\\w-]+\\.[\\w-]{32}$`));
    await giver.getByRole('button', { name: '复制链接' }).click();
    await giver.getByRole('status').filter({ hasText: '链接已复制' }).waitFor();
    expect(await giver.evaluate('navigator.clipboard.readText()')).toBe(claimLink);
    expect(await giver.getByRole('timer').textContent()).toMatch(/剩余 2[34]:\d\d:\d\d/);
    await shot(giver, '04-gift-card');
  });
});

describe('the friend', () => {
  it('opens the card without any price, fills the address through the cascade, switches style and accepts', async () => {
    await openAs(friend, claimLink, 'u_xiaohong');
    await friend.getByRole('heading', { name: '收到一份礼物' }).waitFor();
    await friend.getByText('天冷了，围上吧 🧣').waitFor();
    const text = await friend.locator('main').textContent();
    expect(text).not.toMatch(/¥|299|价格/);
    await shot(friend, '05-claim-card');

    await friend.getByRole('button', { name: '领取礼物' }).click();
    await friend.getByRole('form', { name: '收货地址' }).waitFor();
    await friend.getByLabel('收货人').fill('李小红');
    await friend.getByLabel('手机号').fill('12345');
    await friend.getByLabel('省份').selectOption({ label: '广东省' });
    await friend.getByLabel('城市').selectOption({ label: '深圳市' });
    await friend.getByLabel('区县').selectOption({ label: '南山区' });
    await friend.getByLabel('详细地址').fill('科技园南区 1 栋 1001');
    await friend.getByRole('button', { name: '保存地址' }).click();
    await friend.getByText('请输入正确的大陆手机号').waitFor(); // the API's 422, shown at the field
    expect(await friend.getByLabel('手机号').getAttribute('aria-invalid')).toBe('true');
    await shot(friend, '06-address-error');
    await friend.getByLabel('手机号').fill('13800138000');
    await friend.getByRole('button', { name: '保存地址' }).click();
    await friend.getByText('广东省 深圳市 南山区 科技园南区 1 栋 1001').waitFor();
    await shot(friend, '07-address-saved');

    expect(await friend.getByRole('button', { name: /酒红/ }).isDisabled()).toBe(true);
    await friend.getByRole('button', { name: /燕麦灰/ }).click();
    await expect.poll(() => friend.getByTestId('gift-style').textContent()).toBe('颜色：燕麦灰');
    await shot(friend, '08-style-switched');
    // The address is saved and the form closed: 收下礼物 sends no body.
    const accepting = friend.waitForRequest((r) => r.url().endsWith('/accept'));
    await friend.getByRole('button', { name: '收下礼物' }).click();
    expect((await accepting).postData()).toBeNull();
    await friend.getByRole('heading', { name: '已收下礼物' }).waitFor();
    await shot(friend, '09-accepted');
  });

  it('lets the giver follow it to 商家已接单 without ever seeing the address', async () => {
    await giver.goto(`${t.server.url}/#/sent`);
    await expect.poll(() => giver.locator('.sent-gift .status').first().textContent()).toBe('已收下');
    await t.server.runMaintenance(); // the dispatcher hands it to fulfillment
    await expect.poll(() => giver.locator('.sent-gift .status').first().textContent(), { timeout: 10_000 }).toBe('商家已接单');
    const text = await giver.locator('main').textContent();
    expect(text).not.toMatch(/科技园|13800138000|李小红|南山区/);
    await shot(giver, '10-sent-list');
    expect(t.server.dev.fulfillmentSink!.list().filter((h) => h.handoff.openid === 'u_xiaohong')).toHaveLength(1);
  });
});

describe('states a friend can meet', () => {
  it('shows 礼物已被领取 to a second friend', async () => {
    const page = await (await phoneContext(browser, t.server.url)).newPage();
    await openAs(page, claimLink, 'u_xiaogang');
    await page.getByRole('heading', { name: '礼物已被领取' }).waitFor();
    expect(await page.getByRole('button', { name: '领取礼物' }).count()).toBe(0);
    await shot(page, '11-already-claimed');
  });

  it('shows 已拒收 after declining', async () => {
    t.clock.advanceSeconds(1); // the server clock is frozen: keep creation order visible
    const { token } = await sendGift(t, 'u_xiaoming', 'sku_tea_250', '新茶尝尝');
    await openAs(friend, `${t.server.url}/#/claim/${token}`, 'u_xiaohong');
    await friend.getByRole('button', { name: '领取礼物' }).click();
    await friend.getByRole('button', { name: '拒收' }).click();
    // The page asks first (its own dialog, the safe choice focused); 再想想 changes nothing.
    const dialog = friend.getByRole('alertdialog', { name: '拒收这份礼物？' });
    await dialog.getByRole('button', { name: '再想想' }).click();
    expect(await dialog.count()).toBe(0);
    expect((await t.api('GET', `/claims/${token}`, { as: 'u_xiaohong' })).body.gift.status).toBe('claimed');
    await friend.getByRole('button', { name: '拒收' }).click();
    await dialog.getByRole('button', { name: '确认拒收' }).click();
    await friend.getByRole('heading', { name: '已拒收' }).waitFor();
    expect(await dialog.count()).toBe(0);
    await shot(friend, '12-declined');
  });

  it('shows 礼物已过期 once 24 hours have passed, and the giver sees the refund', async () => {
    t.clock.advanceSeconds(1);
    const { giftId, token } = await sendGift(t, 'u_xiaoming', 'sku_scarf_grey');
    t.clock.advanceSeconds(86_400);
    await openAs(friend, `${t.server.url}/#/claim/${token}`, 'u_xiaohong');
    await friend.getByRole('heading', { name: '礼物已过期' }).waitFor();
    expect(await friend.getByRole('button', { name: '领取礼物' }).count()).toBe(0);
    await shot(friend, '13-expired');
    await t.server.runMaintenance();
    await giver.goto(`${t.server.url}/#/sent/${giftId}`);
    await expect.poll(() => giver.getByTestId('gift-status').textContent()).toBe('已过期 · 已退款');
    await giver.goto(`${t.server.url}/#/sent`);
    await expect
      .poll(() => giver.locator('.sent-gift .status').allTextContents())
      .toEqual(['已过期 · 已退款', '已拒收 · 已退款', '商家已接单']);
    await shot(giver, '14-sent-list-all');
  });
});
