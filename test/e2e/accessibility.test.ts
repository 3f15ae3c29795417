/**
 * Every page and state of the H5 pages, in real Chromium against the real local server (PAYMENT_PROVIDER=wechatpay,
 * so the pay step shows the 微信支付 sheet): axe-core finds no serious or critical violation (contrast ≥ 4.5:1, names,
 * roles, landmarks…), and every tap target is at least 44 × 44 px.
 *
 * To cover a new page or state, add an entry to STATES: a name and how to reach it (it may use what earlier entries
 * left in `gifts`). They run in order, as one story.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { seriousViolations } from '../support/axe';
import { launchChromium, phoneContext } from '../support/browser';
import { buildPages } from '../support/built-pages';
import { startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

const GIVER = 'u_xiaoming';
const FRIEND = 'u_xiaohong';
const STRANGER = 'u_xiaogang';
/** A user who never set a display name: 确认礼物 asks for one. */
const NEWCOMER = 'u_newcomer';
const DEMO_USERS = [GIVER, FRIEND, STRANGER];
/** WCAG 2.5.5: the smallest tap target. */
const TAP_PX = 44;

const tmp = tempDataDir();
let t: TestServer;
let wechat: WechatStandin;
let browser: Browser;
const contexts = new Map<string, BrowserContext>();

/**
 * A page signed in as the user (one phone per user; the session stays in its localStorage). `prepare` runs before the
 * page opens (e.g. to cut off a request its first load makes).
 */
async function pageAs(userId: string | null, url: string, prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
  const key = userId ?? 'nobody';
  let context = contexts.get(key);
  if (!context) {
    context = await phoneContext(browser, t.server.url);
    contexts.set(key, context);
    // Not one of the switcher's demo users: signed in before the page's scripts run.
    if (userId && !DEMO_USERS.includes(userId)) {
      const session = JSON.stringify({ userId, token: await t.login(userId) });
      await context.addInitScript(`localStorage.setItem('songli.session', ${JSON.stringify(session)})`);
    }
  }
  const page = await context.newPage();
  await prepare?.(page);
  await page.goto(url);
  if (userId && !(await page.evaluate(`localStorage.getItem('songli.session')`))) {
    await page.getByLabel('当前用户').selectOption(userId);
    // Browser-side expression (this file is type-checked without DOM types).
    await page.waitForFunction(`JSON.parse(localStorage.getItem('songli.session') ?? 'null')?.userId === ${JSON.stringify(userId)}`);
  }
  return page;
}

/** A gift created and paid through the API and the stand-in's WeChat Pay; answers its id and claim token. */
async function paidGift(skuId: string, message?: string, group: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
  const created = await t.api('POST', '/gifts', { as: GIVER, body: { skuId, ...(message ? { message } : {}), ...group } });
  const id = created.body.gift.id as string;
  const { body } = await t.api('POST', `/gifts/${id}/pay`, { as: GIVER });
  const paid = await fetch(`${wechat.url}/standin/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body.payment, openid: GIVER }),
  });
  expect(paid.status).toBeLessThan(300);
  await expect.poll(async () => (await t.api('GET', `/gifts/${id}`, { as: GIVER })).body.gift.status).toBe('sent');
  return { id, token: (await t.api('GET', `/gifts/${id}`, { as: GIVER })).body.gift.claimToken };
}

/** The friend claims, gives an address and accepts, through the API. */
async function acceptThroughApi(token: string) {
  for (const [method, suffix, body] of [
    ['POST', '/claim', undefined],
    ['PUT', '/address', { name: '李小红', phone: '13800138000', regionCode: '110105', detail: '朝阳路 1 号' }],
    ['POST', '/accept', undefined],
  ] as const)
    expect((await t.api(method, `/claims/${token}${suffix}`, { as: FRIEND, body })).status).toBe(200);
}

const claimUrl = (token: string) => `${t.server.url}/g/${token}`;
/** What the story keeps for later states: gift ids and claim tokens by name. */
const gifts: Record<string, { id: string; token: string }> = {};
/** Who won a unit of the story's lottery (found once it is drawn). */
let lotteryWinner = '';

interface PageState {
  name: string;
  /** Opens the page in the state to check, and waits until it shows. */
  visit(): Promise<Page>;
}

const STATES: PageState[] = [
  {
    name: 'product list',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/`);
      await page.getByText('支持送礼物').first().waitFor();
      return page;
    },
  },
  {
    name: 'product',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_scarf`);
      await page.getByRole('button', { name: '送给朋友' }).waitFor();
      return page;
    },
  },
  {
    name: 'confirm, with a style chosen and a message',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_scarf/gift`);
      await page.getByRole('heading', { name: '确认礼物' }).waitFor();
      await page.getByTestId('signed-as').waitFor(); // the giver's name is set: no prompt
      await page.getByRole('radio', { name: /雾霾蓝/ }).check();
      await page.getByLabel('给朋友留言（选填）').fill('天冷了，围上吧');
      return page;
    },
  },
  {
    name: 'confirm, a first gift: the name prompt refused (empty)',
    async visit() {
      const page = await pageAs(NEWCOMER, `${t.server.url}/#/p/p_scarf/gift`);
      await page.getByLabel('你的名字').waitFor();
      await page.getByRole('button', { name: /支付 ¥\d+\.\d\d 并送出/ }).click();
      await page.getByText('请填写你的名字').waitFor();
      return page;
    },
  },
  {
    name: 'the 微信支付 sheet',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_tea/gift`);
      await page.getByRole('heading', { name: '确认礼物' }).waitFor();
      await page.getByRole('button', { name: /支付 ¥\d+\.\d\d 并送出/ }).click();
      await page.getByRole('dialog', { name: '微信支付' }).waitFor();
      return page;
    },
  },
  {
    name: 'payment canceled: 待付款, pay again',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_tea/gift`);
      await page.getByRole('heading', { name: '确认礼物' }).waitFor();
      await page.getByRole('button', { name: /支付 ¥\d+\.\d\d 并送出/ }).click();
      await page.getByRole('dialog', { name: '微信支付' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('pay-progress').getByText('已取消支付').waitFor();
      return page;
    },
  },
  {
    name: 'gift card after paying',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_scarf/gift`);
      await page.getByRole('heading', { name: '确认礼物' }).waitFor();
      await page.getByRole('button', { name: /支付 ¥\d+\.\d\d 并送出/ }).click();
      await page.getByRole('dialog', { name: '微信支付' }).getByRole('button', { name: '确认支付' }).click();
      await page.getByRole('heading', { name: '礼物卡' }).waitFor();
      await expect.poll(() => page.getByTestId('gift-status').textContent()).toBe('待领取');
      return page;
    },
  },
  {
    name: 'gift card: asks before 重新生成领取链接',
    async visit() {
      gifts.reissued = await paidGift('sku_tea_250');
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.reissued.id}`);
      await page.getByRole('button', { name: /重新生成领取链接/ }).click();
      await page.getByRole('alertdialog', { name: '重新生成领取链接？' }).waitFor();
      return page;
    },
  },
  {
    name: 'gift card, unpaid: 去支付 and 取消订单',
    async visit() {
      const created = await t.api('POST', '/gifts', { as: GIVER, body: { skuId: 'sku_scarf_blue', message: '还没付款' } });
      gifts.unpaid = { id: created.body.gift.id, token: '' };
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.unpaid.id}`);
      await page.getByRole('button', { name: /去支付/ }).waitFor();
      await page.getByRole('button', { name: '取消订单' }).waitFor();
      return page;
    },
  },
  {
    name: 'gift card, unpaid: asks before 取消订单',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.unpaid!.id}`);
      await page.getByRole('button', { name: '取消订单' }).click();
      await page.getByRole('alertdialog', { name: '取消这份礼物？' }).waitFor();
      return page;
    },
  },
  {
    name: 'sent list',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent`);
      await page.locator('.sent-gift').first().waitFor();
      return page;
    },
  },
  {
    name: 'my name (the profile page)',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/me`);
      await expect.poll(() => page.getByLabel('你的名字').inputValue()).toBe('小明');
      return page;
    },
  },
  {
    name: 'claim page, not signed in: the preview and 登录领取',
    async visit() {
      gifts.main = await paidGift('sku_scarf_grey', '生日快乐');
      const page = await pageAs(null, claimUrl(gifts.main.token));
      await page.getByRole('heading', { name: '登录后领取' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page as the giver, not claimed yet',
    async visit() {
      const page = await pageAs(GIVER, claimUrl(gifts.main!.token));
      await page.getByRole('heading', { name: '这是你送出的礼物' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page as the friend, before claiming',
    async visit() {
      const page = await pageAs(FRIEND, claimUrl(gifts.main!.token));
      await page.getByRole('button', { name: '领取礼物' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page as the friend: address form with an error',
    async visit() {
      const page = await pageAs(FRIEND, claimUrl(gifts.main!.token));
      await page.getByRole('button', { name: '领取礼物' }).click();
      await page.getByRole('form', { name: '收货地址' }).waitFor();
      await page.getByLabel('收货人').fill('李小红');
      await page.getByLabel('手机号').fill('12345');
      await page.getByRole('button', { name: '保存地址' }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      return page;
    },
  },
  {
    name: 'claim page as the friend: asks before 拒收',
    async visit() {
      const page = await pageAs(FRIEND, claimUrl(gifts.main!.token));
      await page.getByRole('button', { name: '拒收' }).click();
      await page.getByRole('alertdialog', { name: '拒收这份礼物？' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page as a stranger, claimed by someone else',
    async visit() {
      const page = await pageAs(STRANGER, claimUrl(gifts.main!.token));
      await page.getByRole('heading', { name: '礼物已被领取' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page as the giver, claimed by the friend',
    async visit() {
      const page = await pageAs(GIVER, claimUrl(gifts.main!.token));
      await page.getByRole('heading', { name: '朋友已领取你的礼物' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page, accepted: the thanks form',
    async visit() {
      gifts.accepted = await paidGift('sku_tea_250');
      await acceptThroughApi(gifts.accepted.token);
      const page = await pageAs(FRIEND, claimUrl(gifts.accepted.token));
      await page.getByRole('heading', { name: '已收下礼物' }).waitFor();
      await page.getByRole('form', { name: '感谢送礼人' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page, accepted: thanks sent',
    async visit() {
      const thanked = await t.api('POST', `/claims/${gifts.accepted!.token}/thanks`, { as: FRIEND, body: { message: '谢谢，茶很香' } });
      expect(thanked.status).toBe(200);
      const page = await pageAs(FRIEND, claimUrl(gifts.accepted!.token));
      await page.getByText('你已向送礼人道谢').waitFor();
      return page;
    },
  },
  {
    name: 'gift card with the friend’s thanks',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.accepted!.id}`);
      await page.getByRole('heading', { name: '朋友的感谢' }).waitFor();
      return page;
    },
  },
  {
    name: '我收到的礼物',
    async visit() {
      const page = await pageAs(FRIEND, `${t.server.url}/#/received`);
      await page.locator('.received-gift').first().waitFor();
      return page;
    },
  },
  {
    name: 'claim page, declined',
    async visit() {
      const { token } = await paidGift('sku_tea_250');
      expect((await t.api('POST', `/claims/${token}/claim`, { as: FRIEND })).status).toBe(200);
      expect((await t.api('POST', `/claims/${token}/decline`, { as: FRIEND })).status).toBe(200);
      const page = await pageAs(FRIEND, claimUrl(token));
      await page.getByRole('heading', { name: '已拒收' }).waitFor();
      return page;
    },
  },
  {
    name: 'a page that cannot load: 加载失败 · 重试, and the offline banner',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent`, (p) =>
        p.route(/\/gifts\?role=sent$/, (route) => route.abort('connectionrefused')),
      );
      await page.getByRole('heading', { name: '加载失败' }).waitFor();
      await page.getByTestId('offline-banner').waitFor();
      return page;
    },
  },
  {
    name: 'a refresh that fails: the card stays, 刷新失败 · 重试',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.reissued!.id}`);
      await page.getByTestId('gift-status').waitFor();
      await page.route(`**/gifts/${gifts.reissued!.id}`, (route) => route.abort('connectionrefused'));
      await page.getByRole('alert').filter({ hasText: '刷新失败' }).waitFor({ timeout: 10_000 }); // the card refreshes every 5 s
      return page;
    },
  },
  // 群发礼物 / 群礼物抽奖 (issue 13)
  {
    name: 'confirm, 群发礼物: the quantity stepper and the total',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_tea/gift`);
      await page.getByRole('radio', { name: /群发礼物/ }).check();
      await page.getByRole('button', { name: '增加一份' }).click();
      await page.getByTestId('group-total').filter({ hasText: '共 3 份' }).waitFor();
      return page;
    },
  },
  {
    name: 'confirm, 群礼物抽奖: a draw time refused on its field',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/p/p_scarf/gift`);
      await page.getByRole('radio', { name: /群礼物抽奖/ }).check();
      const soon = new Date(Date.now() + 8 * 3600_000 + 60_000).toISOString().slice(0, 16); // a minute ahead, in Shanghai
      await page.getByLabel('开奖时间').fill(soon);
      await page.getByRole('button', { name: /支付 ¥\d+\.\d\d 并送出/ }).click();
      await page.locator('#draw-at[aria-invalid="true"]').waitFor();
      return page;
    },
  },
  {
    name: 'gift card of a group order: each unit’s state',
    async visit() {
      gifts.group = await paidGift('sku_tea_250', '一人一份', { mode: 'group', quantity: 3 });
      expect((await t.api('POST', `/claims/${gifts.group.token}/claim`, { as: FRIEND })).status).toBe(200);
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.group.id}`);
      await page.locator('.units li[data-status="claimed"]').waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群发礼物: units left and 领取一份',
    async visit() {
      const page = await pageAs(STRANGER, claimUrl(gifts.group!.token));
      await page.getByRole('button', { name: '领取一份' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群发礼物: the friend’s own unit and its address form',
    async visit() {
      const page = await pageAs(FRIEND, claimUrl(gifts.group!.token));
      await page.getByTestId('own-unit').waitFor();
      await page.getByRole('form', { name: '收货地址' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page as the giver, a group order',
    async visit() {
      const page = await pageAs(GIVER, claimUrl(gifts.group!.token));
      await page.getByRole('heading', { name: '这是你送出的群礼物' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群发礼物: 已被领完',
    async visit() {
      const { token } = await paidGift('sku_tea_250', undefined, { mode: 'group', quantity: 2 });
      for (const user of [FRIEND, NEWCOMER]) expect((await t.api('POST', `/claims/${token}/claim`, { as: user })).status).toBe(200);
      const page = await pageAs(STRANGER, claimUrl(token));
      await page.getByRole('heading', { name: '已被领完' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群礼物抽奖: the countdown and 参与抽奖',
    async visit() {
      const drawAt = new Date(t.clock.now().getTime() + 3600_000).toISOString();
      gifts.lottery = await paidGift('sku_scarf_blue', '抽两位', { mode: 'lottery', quantity: 2, drawAt });
      const page = await pageAs(STRANGER, claimUrl(gifts.lottery.token));
      await page.getByRole('button', { name: '参与抽奖' }).waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群礼物抽奖: 已参与, with the entrant hash',
    async visit() {
      const page = await pageAs(STRANGER, claimUrl(gifts.lottery!.token));
      await page.getByRole('button', { name: '参与抽奖' }).click();
      await page.getByTestId('entrant-hash').waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群礼物抽奖: drawn, 未中奖 and 如何验证 with the JSON',
    async visit() {
      const { token } = gifts.lottery!;
      for (const user of [FRIEND, NEWCOMER]) expect((await t.api('POST', `/claims/${token}/enter`, { as: user })).status).toBe(200);
      t.clock.advanceSeconds(3600 + 120);
      await t.server.runMaintenance();
      const cards = await Promise.all(
        [FRIEND, NEWCOMER, STRANGER].map(async (u) => ({ u, card: (await t.api('GET', `/claims/${token}`, { as: u })).body.gift })),
      );
      expect(cards.every((c) => c.card.lottery.drawn)).toBe(true);
      lotteryWinner = cards.find((c) => c.card.lottery.won)!.u;
      const page = await pageAs(cards.find((c) => !c.card.lottery.won)!.u, claimUrl(token));
      await page.getByRole('button', { name: '查看开奖数据（JSON）' }).click();
      await page.getByTestId('draw-json').waitFor();
      return page;
    },
  },
  {
    name: 'claim page, 群礼物抽奖: won, the address form on the won unit',
    async visit() {
      const page = await pageAs(lotteryWinner, claimUrl(gifts.lottery!.token));
      await page.getByTestId('own-unit').filter({ hasText: '恭喜中奖' }).waitFor();
      await page.getByRole('form', { name: '收货地址' }).waitFor();
      return page;
    },
  },
  {
    name: 'gift card of a drawn lottery',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent/${gifts.lottery!.id}`);
      await page.getByTestId('lottery-result').filter({ hasText: '已开奖' }).waitFor();
      return page;
    },
  },
  {
    name: 'sent list with group orders',
    async visit() {
      const page = await pageAs(GIVER, `${t.server.url}/#/sent`);
      await page.getByTestId('group-progress').first().waitFor();
      return page;
    },
  },
  {
    name: 'claim page, expired',
    async visit() {
      const { token } = await paidGift('sku_scarf_blue', '过期的礼物');
      t.clock.advanceSeconds(25 * 3600);
      await t.server.runMaintenance();
      const page = await pageAs(FRIEND, claimUrl(token));
      await page.getByRole('heading', { name: '礼物已过期' }).waitFor();
      return page;
    },
  },
];

/** Buttons, fields, choices and links smaller than a fingertip (WCAG exempts a link inside a sentence: a `p`). */
async function smallTapTargets(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const targets = document.querySelectorAll(
      'button, select, input:not([type=radio]):not([type=checkbox]), textarea, label.option, a[href]');
    return [...targets].flatMap((el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || style.visibility === 'hidden' || el.closest('[inert]')) return [];
      if (el.tagName === 'A' && style.display === 'inline' && el.closest('p')) return [];
      if (box.width >= ${TAP_PX} && box.height >= ${TAP_PX}) return [];
      const name = (el.textContent || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 30);
      return [el.tagName.toLowerCase() + ' "' + name + '" ' + Math.round(box.width) + '×' + Math.round(box.height)];
    });
  })()`)) as string[];
}

beforeAll(async () => {
  const webRoot = await buildPages(join(tmp.dir, 'web'));
  t = await startTestServer({
    dataDir: join(tmp.dir, 'data'),
    clock: new FixedClock(new Date()),
    webRoot,
    env: { PAYMENT_PROVIDER: 'wechatpay' },
  });
  wechat = t.server.wechat!;
  // The giver's display name, so 确认礼物 goes straight to paying (the first-gift prompt is a state of its own).
  expect((await t.api('PUT', '/me', { as: GIVER, body: { displayName: '小明' } })).status).toBe(200);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  tmp.remove();
});

describe('accessibility of every page and state (axe-core, tap targets)', () => {
  for (const state of STATES) {
    it(state.name, async () => {
      const page = await state.visit();
      expect(await seriousViolations(page), 'axe-core: serious or critical').toEqual([]);
      expect(await smallTapTargets(page), `tap targets under ${TAP_PX} px`).toEqual([]);
      await page.close();
    });
  }
});
