/**
 * The thanks notice end to end: a recipient's note over HTTP reaches the giver through the WeChat stand-in as a
 * subscription message (WECHAT_TEMPLATE_GIFT_THANKED), cut to the keyword's rules and never with the price; the
 * recipient's reminder can show the giver's name. Template settings for the new fields are checked at start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { parseNoticeTemplate } from '../../shared/adapters/wechat/notice-template';
import { ADDRESS, claimAndAccept, sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

let wx: WechatStandin;
let server: TestServer;
const tmp = tempDataDir();
beforeAll(async () => {
  wx = await startWechatStandin({
    templates: { TPL_THANKED_01: ['thing1', 'thing2', 'time3'], TPL_EXPIRING_02: ['name1', 'thing2', 'time3'] },
    subscriptions: 'one-time',
  });
  server = await startTestServer({
    dataDir: tmp.dir,
    env: {
      LOCAL_STORE: 'leveldb',
      WECHAT_APPID: wx.identity.appId,
      WECHAT_APP_SECRET: wx.identity.appSecret,
      WECHAT_API_BASE: wx.url,
      WECHAT_TEMPLATE_GIFT_THANKED: 'TPL_THANKED_01',
      WECHAT_TEMPLATE_GIFT_EXPIRING: 'TPL_EXPIRING_02:name1=giver,thing2=product,time3=time',
      WECHAT_NOTICE_PAGE: 'pages/gift/detail',
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await wx?.close();
  tmp.remove();
});

const messagesTo = (openid: string, templateId: string) => wx.messages.filter((m) => m.touser === openid && m.template_id === templateId);

describe('the thanks notice', () => {
  it('reaches the giver as a subscription message with the product, the note (one line, ≤ 20) and the time; no price', async () => {
    const { giftId, token } = await sendGift(server, 'o_thx_giver', 'sku_scarf_blue', '生日快乐');
    await claimAndAccept(server, 'o_thx_friend', token);
    wx.acceptSubscription('o_thx_giver', 'TPL_THANKED_01');
    const note = '谢谢你送的围巾！\n颜色很好看，冬天就靠它了 🧣';
    expect((await server.api('POST', `/claims/${token}/thanks`, { as: 'o_thx_friend', body: { message: note } })).status).toBe(200);
    await server.server.runMaintenance();

    const sent = messagesTo('o_thx_giver', 'TPL_THANKED_01');
    expect(sent).toEqual([
      expect.objectContaining({
        page: `pages/gift/detail?giftId=${giftId}`,
        data: {
          thing1: { value: '羊绒围巾' },
          thing2: { value: '谢谢你送的围巾！ 颜色很好看，冬天就靠…' },
          time3: { value: '2026年11月24日 16:00' },
        },
      }),
    ]);
    expect(JSON.stringify(sent)).not.toMatch(/299|¥|李四|13800138000/);
    expect(JSON.stringify(wx.messages)).not.toContain(ADDRESS.detail);

    // Sent once: another maintenance pass (and a repeat of the same note) sends nothing more.
    await server.api('POST', `/claims/${token}/thanks`, { as: 'o_thx_friend', body: { message: note } });
    wx.acceptSubscription('o_thx_giver', 'TPL_THANKED_01');
    await server.server.runMaintenance();
    expect(messagesTo('o_thx_giver', 'TPL_THANKED_01')).toHaveLength(1);
  });

  it('the recipient’s reminder shows the giver’s display name (as a name keyword), never the price', async () => {
    await server.api('PUT', '/me', { as: 'o_rem_giver', body: { displayName: '王小明' } });
    const { token } = await sendGift(server, 'o_rem_giver');
    wx.acceptSubscription('o_rem_friend', 'TPL_EXPIRING_02');
    await server.api('POST', `/claims/${token}/claim`, { as: 'o_rem_friend' });
    server.clock.advanceSeconds(22 * 3600); // the reminder is due two hours before the end
    await server.server.runMaintenance();
    const [reminder] = messagesTo('o_rem_friend', 'TPL_EXPIRING_02');
    expect(reminder?.data).toEqual({ name1: { value: '王小明' }, thing2: { value: '羊绒围巾' }, time3: { value: '2026年11月25日 16:00' } });
    expect(JSON.stringify(reminder)).not.toMatch(/299|¥/);
  });
});

describe('template settings for the new fields', () => {
  it('takes thanks only in the thanks notice, the giver’s name only there and in the reminder, each in a type that fits', () => {
    expect(parseNoticeTemplate('gift_thanked', 'TPL_X_01:thing1=thanks,name2=giver,time3=time').ok).toBe(true);
    const bad = parseNoticeTemplate('gift_claimed', 'TPL_X_01:thing1=thanks,thing2=giver,amount3=amount');
    expect(bad).toEqual({
      ok: false,
      problems: [
        'thing1=thanks: gift_claimed notices carry no thanks',
        'thing2=giver: gift_claimed notices carry no giver',
        'amount3=amount: gift_claimed notices carry no amount',
      ],
    });
    expect(parseNoticeTemplate('gift_thanked', 'TPL_X_01:phrase1=thanks,amount2=amount')).toEqual({
      ok: false,
      problems: [
        'phrase1=thanks: a phrase keyword cannot show thanks (it can: thing)',
        'amount2=amount: gift_thanked notices carry no amount',
      ],
    });
  });
});
