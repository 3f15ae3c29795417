/**
 * Paying a gift with WeChat Pay from the H5 pages, in real Chromium against the real local server with
 * PAYMENT_PROVIDER=wechatpay (so the WeChat stand-in plays WeChat Pay, with real signatures and notifications): the
 * 微信支付 sheet, 取消 and paying again, a lost notification, giving up the wait, WeChat's own JS bridge, and a
 * browser outside WeChat. Screenshots land in test-artifacts/screenshots (wechat-pay-*).
 * The sheet's accessibility (axe-core, tap targets) is checked with every other page in accessibility.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { launchChromium, phoneContext } from '../support/browser';
import { startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const GIVER = 'u_xiaoming';
const tmp = tempDataDir();
let t: TestServer;
let wechat: WechatStandin;
let browser: Browser;

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `wechat-pay-${name}.png`), fullPage: true });

async function phone(): Promise<Page> {
  return (await phoneContext(browser, t.server.url)).newPage();
}

/** The confirm page of a product, signed in as the giver. */
async function confirmPage(page: Page, productId: string) {
  await page.goto(`${t.server.url}/#/p/${productId}/gift`);
  await page.getByLabel('当前用户').selectOption(GIVER);
  // Browser-side expression (this file is type-checked without DOM types).
  await page.waitForFunction(`JSON.parse(localStorage.getItem('songli.session') ?? 'null')?.userId === ${JSON.stringify(GIVER)}`);
  await page.getByRole('heading', { name: '确认礼物' }).waitFor();
}

const giftIdOnCard = (page: Page) => decodeURIComponent(new URL(page.url()).hash.replace(/^#\/sent\//, ''));
const notificationsOf = (orderNo: string) =>
  wechat.notifications.filter((n) => (n.resource as { out_trade_no?: string }).out_trade_no === orderNo);
const activeText = (page: Page) => page.evaluate('document.activeElement?.textContent?.trim() ?? null');

async function standin(method: string, path: string, body?: unknown) {
  const res = await fetch(wechat.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
}

/** The giver's gift card with a live claim link, the same one the API hands the giver. */
async function expectCardWithLink(page: Page) {
  await page.getByRole('heading', { name: '礼物卡' }).waitFor();
  await expect.poll(() => page.getByTestId('gift-status').textContent()).toBe('待领取');
  const giftId = giftIdOnCard(page);
  const { body } = await t.api('GET', `/gifts/${giftId}`, { as: GIVER });
  expect(body.gift.status).toBe('sent');
  expect(await page.getByLabel('领取链接').inputValue()).toBe(`${t.server.url}/g/${body.gift.claimToken}`);
  return giftId;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const webRoot = join(tmp.dir, 'web');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), build: { outDir: webRoot, sourcemap: false }, logLevel: 'error' });
  t = await startTestServer({
    dataDir: join(tmp.dir, 'data'),
    clock: new FixedClock(new Date()),
    webRoot,
    env: { PAYMENT_PROVIDER: 'wechatpay' },
  });
  wechat = t.server.wechat!;
  expect(wechat).toBeTruthy();
  // The giver's display name (PUT /me, issue 12), so 确认礼物 does not stop to ask for it (giver-pages.test.ts does).
  await t.api('PUT', '/me', { as: GIVER, body: { displayName: '小明' } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  tmp.remove();
});

describe('the 微信支付 sheet', () => {
  it('shows the order, keeps the focus, and after 确认支付 waits for WeChat Pay, then shows the gift card', async () => {
    const page = await phone();
    await confirmPage(page, 'p_scarf');
    await page.getByRole('radio', { name: /雾霾蓝/ }).check();
    // The page's reads of the gift wait until released: the progress is seen, and WeChat Pay's notification (not
    // the order query a read makes) is what sends the gift.
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    await page.route(/\/gifts\/[^/]+$/, async (route) => {
      if (route.request().method() === 'GET') await released;
      await route.continue();
    });
    const ordersBefore = wechat.orders.size;
    await page.getByRole('button', { name: /支付 ¥299\.00 并送出/ }).click();

    const sheet = page.getByRole('dialog', { name: '微信支付' });
    await sheet.waitFor();
    expect(await sheet.getAttribute('aria-modal')).toBe('true');
    expect(await sheet.getByTestId('pay-amount').textContent()).toBe('¥299.00');
    expect(wechat.orders.size).toBe(ordersBefore + 1);
    const order = [...wechat.orders.values()].at(-1)!;
    expect(order.request).toMatchObject({ amount: { total: 29_900 }, payer: { openid: GIVER } });
    expect(await sheet.locator('#pay-sheet-description').textContent()).toBe(order.request.description);
    expect(order.request.description).toBe('礼物 羊绒围巾');
    // Focus starts on 确认支付 and Tab stays inside the modal sheet.
    expect(await activeText(page)).toBe('确认支付');
    const visited: unknown[] = [];
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await page.evaluate('document.activeElement?.closest("dialog") !== null'), `focus after ${key}`).toBe(true);
      visited.push(await activeText(page));
    }
    expect(visited).toEqual(['取消', '确认支付', '取消', '确认支付', '取消']);
    await shot(page, '01-sheet');

    await sheet.getByRole('button', { name: '确认支付' }).click();
    await page.getByRole('status').filter({ hasText: '正在确认支付…' }).waitFor();
    expect(await sheet.count()).toBe(0);
    await shot(page, '02-confirming');
    const orderNo = order.request.out_trade_no;
    await expect.poll(() => notificationsOf(orderNo).map((n) => n.state)).toEqual(['delivered']);
    expect(notificationsOf(orderNo)[0]!.attempts.map((a) => a.status)).toEqual([204]);
    release();
    await page.unrouteAll();

    const giftId = await expectCardWithLink(page);
    expect(giftId).toBe(orderNo);
    expect(wechat.orders.get(orderNo)!.tradeState).toBe('SUCCESS');
    await shot(page, '03-gift-card');
  });

  it('取消 (or Escape) leaves the gift awaiting payment; paying again pays the same order', async () => {
    const page = await phone();
    const prepayIds: string[] = [];
    let pagePays = 0;
    page.on('request', (r) => {
      const m = /\/standin\/prepay\/([^/?]+)/.exec(r.url());
      if (m) prepayIds.push(m[1]!);
      if (r.method() === 'POST' && /\/gifts\/[^/]+\/pay$/.test(r.url())) pagePays++;
    });
    await confirmPage(page, 'p_tea');
    const ordersBefore = wechat.orders.size;
    const jsapiBefore = wechat.calls.jsapi;
    await page.getByRole('button', { name: /支付 ¥268\.00 并送出/ }).click();
    const sheet = page.getByRole('dialog', { name: '微信支付' });
    await sheet.waitFor();
    await page.keyboard.press('Escape');
    const notice = page.getByTestId('pay-progress');
    await notice.getByText('已取消支付').waitFor();
    expect(await sheet.count()).toBe(0);
    // Focus moves to the notice once the dialog has closed (the dialog first hands focus back, then the notice takes it).
    await expect.poll(() => page.evaluate('document.activeElement?.dataset.testid ?? null')).toBe('pay-progress');
    const href = await notice.getByRole('link', { name: '查看礼物' }).getAttribute('href');
    const giftId = decodeURIComponent(href!.replace(/^#\/sent\//, ''));
    expect((await t.api('GET', `/gifts/${giftId}`, { as: GIVER })).body.gift.status).toBe('awaiting_payment');
    expect(await page.getByRole('radio', { name: /250g/ }).first().isDisabled()).toBe(true); // the gift is made

    await page.getByRole('button', { name: '重新支付 ¥268.00' }).click();
    await sheet.waitFor();
    await sheet.getByRole('button', { name: '取消' }).click();
    await notice.getByText('已取消支付').waitFor();
    expect((await t.api('GET', `/gifts/${giftId}`, { as: GIVER })).body.gift.status).toBe('awaiting_payment');
    await shot(page, '04-canceled');
    // What the page is handed (checked against the contract by the harness): the same order, and the appId paySign signs.
    const reopened = await t.api('POST', `/gifts/${giftId}/pay`, { as: GIVER });
    expect(reopened.body.gift.status).toBe('awaiting_payment');
    expect(reopened.body.payment).toMatchObject({ appId: wechat.merchantSettings.appId, package: `prepay_id=${prepayIds[0]}` });

    await page.getByRole('button', { name: '重新支付 ¥268.00' }).click();
    await sheet.getByRole('button', { name: '确认支付' }).click();
    expect(await expectCardWithLink(page)).toBe(giftId);
    // The order opened four times (by POST /gifts, twice by the page's POST /pay for 重新支付, once by the test): one
    // WeChat Pay order, the same out_trade_no, the same prepay_id. The first 支付 needed no POST /pay.
    expect(wechat.calls.jsapi - jsapiBefore).toBe(4);
    expect(pagePays).toBe(2);
    expect(wechat.orders.size).toBe(ordersBefore + 1);
    expect(wechat.orders.get(giftId)!.tradeState).toBe('SUCCESS');
    expect(prepayIds).toHaveLength(3);
    expect(new Set(prepayIds)).toEqual(new Set([wechat.orders.get(giftId)!.prepayId]));
  });

  it('ends on the gift card when WeChat Pay loses the notification: the page’s reads make the server query the order', async () => {
    await standin('POST', '/standin/faults', { target: 'notification', event: 'TRANSACTION', fault: { kind: 'lose' } });
    const queriesBefore = wechat.calls.query;
    const page = await phone();
    await confirmPage(page, 'p_scarf');
    await page.getByRole('radio', { name: /燕麦灰/ }).check();
    await page.getByRole('button', { name: /支付 ¥299\.00 并送出/ }).click();
    await page.getByRole('dialog', { name: '微信支付' }).getByRole('button', { name: '确认支付' }).click();
    const giftId = await expectCardWithLink(page);
    expect(notificationsOf(giftId).map((n) => [n.state, n.attempts.length])).toEqual([['lost', 0]]);
    expect(wechat.calls.query).toBeGreaterThan(queriesBefore);
  });

  it('stops waiting after about 30 s with a way to check again, and the gift card shows the payment once known', async () => {
    // WeChat Pay took the money but the server cannot learn it: notification lost, every order query failing.
    await standin('POST', '/standin/faults', { target: 'notification', event: 'TRANSACTION', fault: { kind: 'lose' } });
    await standin('POST', '/standin/faults', { target: 'call', endpoint: 'query', times: 1000, fault: { kind: 'system_error' } });
    const page = await phone();
    await confirmPage(page, 'p_scarf');
    await page.clock.install(); // from here the page's timers and Date move when the test says
    await page.getByRole('radio', { name: /驼色/ }).check();
    await page.getByRole('button', { name: /支付 ¥399\.00 并送出/ }).click();
    await page.getByRole('dialog', { name: '微信支付' }).getByRole('button', { name: '确认支付' }).click();
    const notice = page.getByTestId('pay-progress');
    await notice.getByText('正在确认支付…').waitFor();

    let waitedMs = 0;
    while (!(await notice.getByText('暂时没有确认到支付结果').isVisible())) {
      expect(waitedMs, 'the page gave up waiting').toBeLessThan(45_000);
      if (waitedMs < 28_000) expect(await notice.textContent()).toContain('正在确认支付…');
      await page.clock.fastForward(1000);
      waitedMs += 1000;
      await sleep(50); // real time for the read the timer started
    }
    expect(waitedMs).toBeGreaterThanOrEqual(30_000);
    await notice.getByRole('button', { name: '再次确认' }).waitFor();
    expect(await page.getByRole('button', { name: /重新支付/ }).count()).toBe(0); // it may be paid: no second payment
    await shot(page, '05-timeout');

    await standin('DELETE', '/standin/faults');
    await notice.getByRole('link', { name: '查看礼物' }).click();
    await expectCardWithLink(page); // no claim token on this device: the card shows the server's live link
  });
});

describe('outside the stand-in', () => {
  it('inside WeChat pays through WeixinJSBridge.getBrandWCPayRequest with the appId paySign signs', async () => {
    const page = await phone();
    // WeChat's side: records the call and, as the payer confirming, hands the arguments to WeChat Pay (the stand-in
    // verifies paySign over appId, timeStamp, nonceStr and package).
    await page.addInitScript(`
      window.__bridgeCalls = [];
      window.WeixinJSBridge = {
        invoke(name, args, callback) {
          window.__bridgeCalls.push({ name, args });
          fetch(${JSON.stringify(`${wechat.url}/standin/pay`)}, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...args, openid: ${JSON.stringify(GIVER)} }),
          }).then((r) => callback({ err_msg: r.ok ? 'get_brand_wcpay_request:ok' : 'get_brand_wcpay_request:fail' }));
        },
      };
    `);
    await confirmPage(page, 'p_tea');
    await page.getByRole('radio', { name: /铁罐/ }).check();
    await page.getByRole('button', { name: /支付 ¥268\.00 并送出/ }).click();
    const giftId = await expectCardWithLink(page);
    const calls = (await page.evaluate('window.__bridgeCalls')) as Array<{ name: string; args: Record<string, string> }>;
    expect(calls.map((c) => c.name)).toEqual(['getBrandWCPayRequest']);
    expect(Object.keys(calls[0]!.args).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(calls[0]!.args.appId).toBe(wechat.merchantSettings.appId);
    expect(calls[0]!.args.package).toBe(`prepay_id=${wechat.orders.get(giftId)!.prepayId}`);
    expect(wechat.orders.get(giftId)!.tradeState).toBe('SUCCESS');
  });

  it('in a browser outside WeChat with no stand-in, asks to open the page in WeChat', async () => {
    const page = await phone();
    await page.route('**/dev/wechat', (route) => route.fulfill({ json: { standinUrl: null } }));
    await confirmPage(page, 'p_scarf');
    await page.getByRole('button', { name: /支付 ¥299\.00 并送出/ }).click();
    await page.getByRole('alert').filter({ hasText: '请在微信中打开以完成支付' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await shot(page, '06-outside-wechat');
  });
});
