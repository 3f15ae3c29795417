/**
 * The wiring: with WECHAT_APPID and WECHAT_APP_SECRET the local server's notices go to WeChat (here the stand-in at
 * WECHAT_API_BASE) as subscription messages, through buildDeps, with the token shared through the local store;
 * without them they go to the dev sink as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { WechatSubscribeNotifier } from '../../shared/adapters/wechat/wechat-subscribe-notifier';
import { sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

let wx: WechatStandin;
let server: TestServer;
const tmp = tempDataDir();
beforeAll(async () => {
  wx = await startWechatStandin({ templates: { TPL_CLAIMED_01: ['thing1', 'phrase2', 'time3'] } });
  server = await startTestServer({
    dataDir: tmp.dir,
    env: {
      LOCAL_STORE: 'leveldb',
      WECHAT_APPID: wx.identity.appId,
      WECHAT_APP_SECRET: wx.identity.appSecret,
      WECHAT_API_BASE: wx.url,
      WECHAT_TEMPLATE_GIFT_CLAIMED: 'TPL_CLAIMED_01',
      WECHAT_NOTICE_PAGE: 'pages/gift/detail',
      WECHAT_MINIPROGRAM_STATE: 'developer',
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await wx?.close();
  tmp.remove();
});

describe('local server with the mini program’s appid and secret', () => {
  it('sends the giver a subscription message when the gift is claimed, through buildDeps and the local store', async () => {
    expect(server.server.deps.notifier).toBeInstanceOf(WechatSubscribeNotifier);
    const { giftId, token } = await sendGift(server, 'o_giver_local');
    expect((await server.api('POST', `/claims/${token}/claim`, { as: 'o_friend_local' })).status).toBe(200);
    await server.server.runMaintenance();
    expect(wx.messages).toEqual([
      expect.objectContaining({
        touser: 'o_giver_local',
        template_id: 'TPL_CLAIMED_01',
        page: `pages/gift/detail?giftId=${giftId}`,
        miniprogram_state: 'developer',
        data: expect.objectContaining({ phrase2: { value: '已领取' } }),
      }),
    ]);
    expect(wx.calls.stable_token).toBe(1);
    const notices = await server.api('GET', '/dev/notifications', { as: 'o_giver_local' });
    expect([notices.status, notices.body.notifications]).toEqual([200, []]); // not the dev sink
  });
});
