/**
 * Subscription notices over real HTTP against the WeChat stand-in (its keyword rules, one-time subscriptions, stable
 * tokens on a clock the test moves): the template and data of each event, the access token shared through the store
 * (one stable_token call for many instances, renewed before expiry, replaced after 40001), and each failure mapped
 * to what the dispatcher does with it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { DynamoDbSharedValues } from '../../shared/adapters/dynamodb/dynamodb-shared-values';
import { ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { MemorySharedValues } from '../../shared/adapters/memory/memory-shared-values';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { parseNoticeTemplate, type TemplatedEvent } from '../../shared/adapters/wechat/notice-template';
import { WechatAccessToken } from '../../shared/adapters/wechat/wechat-access-token';
import { WechatCallError } from '../../shared/adapters/wechat/wechat-api';
import { WechatSubscribeNotifier } from '../../shared/adapters/wechat/wechat-subscribe-notifier';
import { DependencyError } from '../../shared/ports/dependency-error';
import { FinalDeliveryError } from '../../shared/ports/final-delivery-error';
import type { Notice } from '../../shared/ports/notifier';
import type { SharedValues } from '../../shared/ports/shared-values';

const TEMPLATES = {
  TPL_CLAIMED_01: ['thing1', 'phrase2', 'time3'],
  TPL_ACCEPTED_01: ['thing1', 'phrase2', 'time3'],
  TPL_REFUNDED_01: ['thing1', 'amount2', 'thing3', 'time4'],
  TPL_EXPIRING_01: ['thing1', 'time2', 'thing3'],
  TPL_THANKED_01: ['thing1', 'thing2', 'time3'],
  TPL_REFUND_CUSTOM: ['character_string1', 'number2', 'phrase3', 'date4', 'thing5'],
  TPL_FOUR_KEYS: ['thing1', 'phrase2', 'time3', 'thing4'],
};
const SETTINGS: Record<TemplatedEvent, string> = {
  gift_claimed: 'TPL_CLAIMED_01',
  gift_accepted: 'TPL_ACCEPTED_01',
  gift_refunded: 'TPL_REFUNDED_01',
  gift_expiring: 'TPL_EXPIRING_01',
  gift_thanked: 'TPL_THANKED_01',
};

const clock = new FixedClock('2026-11-24T08:00:00.000Z');
let wx: WechatStandin;
beforeAll(async () => {
  wx = await startWechatStandin({ clock, templates: TEMPLATES, subscriptions: 'one-time' });
});
afterAll(() => wx?.close());

interface Instance {
  notifier: WechatSubscribeNotifier;
  tokens: WechatAccessToken;
}

/** One function instance: its own process copy of the token, the store it shares with the others. */
function instance(
  values: SharedValues,
  opts: { settings?: Partial<Record<TemplatedEvent, string>>; timeoutMs?: number; apiBase?: string } = {},
): Instance {
  const apiBase = opts.apiBase ?? wx.url;
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const tokens = new WechatAccessToken({
    apiBase,
    appId: wx.identity.appId,
    appSecret: wx.identity.appSecret,
    values,
    clock,
    timeoutMs,
    pollMs: 10,
  });
  const templates = Object.fromEntries(
    Object.entries(opts.settings ?? SETTINGS).map(([event, setting]) => {
      const parsed = parseNoticeTemplate(event as TemplatedEvent, setting);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return [event, parsed.template];
    }),
  );
  const notifier = new WechatSubscribeNotifier({
    apiBase,
    templates,
    page: 'pages/gift/detail',
    miniprogramState: 'trial',
    tokens,
    timeoutMs,
  });
  return { notifier, tokens };
}

let seq = 0;
const LONG_TITLE = '🎁 新年限定·羊绒围巾（藏青色）礼盒装 送长辈 👨‍👩‍👧';
function notice(event: Notice['event'], over: Partial<Notice> = {}): Notice {
  const giftId = `g_notice_${++seq}`;
  return {
    idempotencyKey: `${giftId}:notify:${event}`,
    userId: event === 'gift_expiring' ? `o_friend_${seq}` : `o_giver_${seq}`, // one-time acceptances never carry over
    event,
    giftId,
    productTitle: LONG_TITLE,
    at: '2026-11-24T08:00:00.000Z',
    ...(event === 'gift_refunded' ? { amountFen: 19_900, reason: 'declined' as const } : {}),
    ...over,
  };
}

/** One-time subscriptions: the user accepts each template before each message, as wx.requestSubscribeMessage grants. */
const subscribe = (n: Notice, templateId = SETTINGS[n.event as TemplatedEvent]) => {
  wx.acceptSubscription(n.userId, templateId);
  return n;
};
const calls = () => ({ stable_token: wx.calls.stable_token, subscribe_send: wx.calls.subscribe_send });
const delta = (before: ReturnType<typeof calls>) => ({
  stable_token: wx.calls.stable_token - before.stable_token,
  subscribe_send: wx.calls.subscribe_send - before.subscribe_send,
});
const failureOf = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

beforeEach(() => {
  wx.faults.clear();
  clock.advanceSeconds(8 * 3600); // a fresh stable token for every test: the previous one has expired
});

describe('what each event sends', () => {
  it('claimed, accepted, refunded to the giver, expiring to the recipient: its template, page and data within the rules', async () => {
    const { notifier } = instance(new MemorySharedValues());
    const notices = (['gift_claimed', 'gift_accepted', 'gift_refunded', 'gift_expiring'] as const).map((e) => subscribe(notice(e)));
    notices[3]!.amountFen = 19_900; // a recipient's notice that carries an amount anyway
    notices[3]!.at = '2026-11-25T07:59:00.000Z'; // when the gift expires
    const before = wx.messages.length;
    for (const n of notices) expect(await notifier.notify(n), n.event).toEqual({ status: 'sent' });
    const sent = wx.messages.slice(before);
    const common = (n: Notice, templateId: string) => ({
      touser: n.userId,
      template_id: templateId,
      page: `pages/gift/detail?giftId=${n.giftId}`,
      miniprogram_state: 'trial',
      lang: 'zh_CN',
    });
    const title = '🎁 新年限定·羊绒围巾（藏青色）礼盒…';
    expect(sent).toEqual([
      expect.objectContaining({
        ...common(notices[0]!, 'TPL_CLAIMED_01'),
        data: { thing1: { value: title }, phrase2: { value: '已领取' }, time3: { value: '2026年11月24日 16:00' } },
      }),
      expect.objectContaining({
        ...common(notices[1]!, 'TPL_ACCEPTED_01'),
        data: { thing1: { value: title }, phrase2: { value: '已接受' }, time3: { value: '2026年11月24日 16:00' } },
      }),
      expect.objectContaining({
        ...common(notices[2]!, 'TPL_REFUNDED_01'),
        data: {
          thing1: { value: title },
          amount2: { value: '¥199.00' },
          thing3: { value: '对方拒收' },
          time4: { value: '2026年11月24日 16:00' },
        },
      }),
      expect.objectContaining({
        ...common(notices[3]!, 'TPL_EXPIRING_01'),
        data: { thing1: { value: title }, time2: { value: '2026年11月25日 15:59' }, thing3: { value: '礼物即将过期，请尽快确认收礼' } },
      }),
    ]);
    expect(JSON.stringify(sent[3])).not.toMatch(/199|¥/);
  });

  it('follows a mapping written for the merchant’s own template', async () => {
    const { notifier } = instance(new MemorySharedValues(), {
      settings: { gift_refunded: 'TPL_REFUND_CUSTOM:character_string1=gift,number2=amount,phrase3=reason,date4=time,thing5=note' },
    });
    const n = subscribe(notice('gift_refunded', { amountFen: 5, reason: 'expired', productTitle: '茶\n叶' }), 'TPL_REFUND_CUSTOM');
    expect(await notifier.notify(n)).toEqual({ status: 'sent' });
    expect(wx.messages.at(-1)?.data).toEqual({
      character_string1: { value: n.giftId },
      number2: { value: '0.05' },
      phrase3: { value: '超时未领取' },
      date4: { value: '2026年11月24日 16:00' },
      thing5: { value: '礼物款项已原路退回' },
    });
  });

  it('skips, without calling WeChat, an event whose template is not set and the legacy declined / expired events', async () => {
    const { notifier } = instance(new MemorySharedValues(), { settings: { gift_claimed: 'TPL_CLAIMED_01' } });
    const before = calls();
    expect(await notifier.notify(notice('gift_accepted'))).toEqual({
      status: 'skipped',
      reason: 'no template: WECHAT_TEMPLATE_GIFT_ACCEPTED is not set',
    });
    expect(await notifier.notify(notice('gift_declined'))).toEqual({
      status: 'skipped',
      reason: 'legacy event gift_declined: no template',
    });
    expect(await notifier.notify(notice('gift_expired'))).toEqual({ status: 'skipped', reason: 'legacy event gift_expired: no template' });
    expect(delta(before)).toEqual({ stable_token: 0, subscribe_send: 0 });
  });
});

describe('the access token, shared through the store', () => {
  it('two instances sharing one store (DynamoDB on dynalite) make one stable_token call; a warm one reads the store once', async () => {
    const dynamo = await startEmbeddedDynamo();
    try {
      await ensureGiftsTable(dynamo.client, 'gifts');
      let reads = 0;
      const shared = new DynamoDbSharedValues(dynamo.client, 'gifts');
      const counted: SharedValues = {
        read: (k) => {
          reads++;
          return shared.read(k);
        },
        writeIf: (k, v, e) => shared.writeIf(k, v, e),
      };
      const [a, b] = [instance(counted), instance(counted)];
      const before = calls();
      wx.faults.failNext('stable_token', { kind: 'timeout', ms: 200 }); // a slow answer: b reads the store while a waits for it
      const first = Array.from({ length: 6 }, (_, i) => subscribe(notice(i % 2 ? 'gift_claimed' : 'gift_accepted')));
      const outcomes = await Promise.all(first.map((n, i) => (i < 3 ? a : b).notifier.notify(n)));
      expect(outcomes).toEqual(Array(6).fill({ status: 'sent' }));
      expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 6 });
      const readsWhenWarm = reads;
      for (let i = 0; i < 5; i++) expect(await a.notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
      expect(reads).toBe(readsWhenWarm);
      expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 11 });
    } finally {
      await dynamo.close();
    }
  });

  it('renews the token once when it enters its last 5 minutes; the other instance takes the renewed one from the store', async () => {
    const values = new MemorySharedValues();
    const [a, b] = [instance(values), instance(values)];
    expect(await a.notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
    expect(await b.notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
    const old = await a.tokens.current();
    clock.advanceSeconds(7_200 - 300 + 1);
    const before = calls();
    const [sent, meanwhile] = await Promise.all([a.notifier.notify(subscribe(notice('gift_claimed'))), b.tokens.current()]);
    expect(sent).toEqual({ status: 'sent' });
    const fresh = await a.tokens.current();
    expect(fresh).not.toBe(old);
    expect([old, fresh]).toContain(meanwhile); // while a renews, b keeps using the old one (valid until it expires)
    expect(await b.tokens.current()).toBe(fresh);
    expect(await b.notifier.notify(subscribe(notice('gift_accepted')))).toEqual({ status: 'sent' });
    expect(wx.messages.at(-1)?.touser).toMatch(/^o_giver_/);
    expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 2 });
  });

  it('after 40001 (the token was revoked elsewhere) forces a new token once and sends again; the other instance reuses it', async () => {
    const values = new MemorySharedValues();
    const [a, b] = [instance(values), instance(values)];
    expect(await a.notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
    expect(await b.notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
    // Someone forces a refresh (another tool on the same appid): the token both instances hold is revoked.
    const forced = await fetch(`${wx.url}/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({
        grant_type: 'client_credential',
        appid: wx.identity.appId,
        secret: wx.identity.appSecret,
        force_refresh: true,
      }),
    });
    expect(((await forced.json()) as { access_token?: string }).access_token).toBeTruthy();
    clock.advanceSeconds(31); // force_refresh at most every 30 s
    const before = calls();
    const sentBefore = wx.messages.length;
    const n = subscribe(notice('gift_accepted'));
    expect(await a.notifier.notify(n)).toEqual({ status: 'sent' });
    expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 2 }); // 40001, forced refresh, sent
    expect(wx.messages.slice(sentBefore).map((m) => [m.touser, m.page])).toEqual([[n.userId, `pages/gift/detail?giftId=${n.giftId}`]]);
    expect(await b.notifier.notify(subscribe(notice('gift_accepted')))).toEqual({ status: 'sent' });
    expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 4 }); // b: 40001, the token a wrote, sent
  });

  it('a token rejected right after a forced refresh is not forced again within 30 s: the send is retried later', async () => {
    const { notifier } = instance(new MemorySharedValues());
    expect(await notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
    wx.faults.failNext('subscribe_send', { kind: 'errcode', errcode: 40001 }, 3);
    const before = calls();
    const twice = await failureOf(notifier.notify(subscribe(notice('gift_claimed'))));
    expect(twice).toBeInstanceOf(WechatCallError);
    expect((twice as WechatCallError).errcode).toBe(40001);
    expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 2 }); // refreshed once, retried once
    const third = await failureOf(notifier.notify(subscribe(notice('gift_claimed'))));
    expect(third).toBeInstanceOf(DependencyError);
    expect(String(third)).toContain('forced less than 30 s ago');
    expect(delta(before)).toEqual({ stable_token: 1, subscribe_send: 3 });
    clock.advanceSeconds(31);
    expect(await notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
  });

  it('a failed stable_token call is a dependency failure, and leaves no lease behind: the next notice gets a token at once', async () => {
    const { notifier } = instance(new MemorySharedValues());
    wx.faults.failNext('stable_token', { kind: 'system_error' });
    const n = subscribe(notice('gift_claimed'));
    const failure = await failureOf(notifier.notify(n));
    expect(failure).toBeInstanceOf(DependencyError);
    expect(String(failure)).toContain('stable_token answered errcode -1');
    const started = performance.now();
    expect(await notifier.notify(n)).toEqual({ status: 'sent' }); // the dispatcher's retry
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('what each failure means to the dispatcher', () => {
  it('43101 (not subscribed, or the one message allowed was sent): skipped for good, not retried', async () => {
    const { notifier } = instance(new MemorySharedValues());
    const once = subscribe(notice('gift_claimed'));
    expect(await notifier.notify(once)).toEqual({ status: 'sent' });
    const before = calls();
    expect(await notifier.notify(notice('gift_claimed', { userId: once.userId }))).toEqual({ status: 'skipped', reason: 'not_subscribed' });
    wx.refuseSubscription('o_refuser');
    expect(await notifier.notify(notice('gift_claimed', { userId: 'o_refuser' }))).toEqual({ status: 'skipped', reason: 'not_subscribed' });
    expect(delta(before)).toEqual({ stable_token: 0, subscribe_send: 2 });
  });

  it('47003 (data the template refuses) and 40037 (unknown template): FinalDeliveryError, naming WeChat’s code', async () => {
    const { notifier } = instance(new MemorySharedValues(), {
      settings: { gift_claimed: 'TPL_FOUR_KEYS', gift_accepted: 'TPL_NOT_IN_THIS_APP' }, // thing4 is never filled
    });
    const refused = await failureOf(notifier.notify(subscribe(notice('gift_claimed'), 'TPL_FOUR_KEYS')));
    expect(refused).toBeInstanceOf(FinalDeliveryError);
    expect(refused).toMatchObject({ code: 'WECHAT_47003', message: expect.stringContaining('data.thing4') });
    const unknown = await failureOf(notifier.notify(notice('gift_accepted')));
    expect(unknown).toMatchObject({ name: 'FinalDeliveryError', code: 'WECHAT_40037' });
  });

  it('-1 (busy), 45009 (quota), a timeout, an unreachable WeChat: DependencyError, retried by the dispatcher', async () => {
    const { notifier } = instance(new MemorySharedValues(), { timeoutMs: 300 });
    expect(await notifier.notify(subscribe(notice('gift_claimed')))).toEqual({ status: 'sent' });
    wx.faults.failNext('subscribe_send', { kind: 'system_error' });
    wx.faults.failNext('subscribe_send', { kind: 'errcode', errcode: 45009 });
    wx.faults.failNext('subscribe_send', { kind: 'timeout', ms: 1_000, processed: false });
    const n = subscribe(notice('gift_claimed'));
    const failures = [await failureOf(notifier.notify(n)), await failureOf(notifier.notify(n)), await failureOf(notifier.notify(n))];
    for (const f of failures) expect(f).toBeInstanceOf(DependencyError);
    expect(failures.map((f) => (f as WechatCallError).errcode)).toEqual([-1, 45009, null]);
    expect(String(failures[2])).toContain('no answer within 300 ms');
    expect(await notifier.notify(n)).toEqual({ status: 'sent' }); // the retry goes out: the acceptance was not used up

    const closed = await startWechatStandin();
    const url = closed.url;
    await closed.close();
    const offline = await failureOf(instance(new MemorySharedValues(), { apiBase: url }).notifier.notify(notice('gift_claimed')));
    expect(offline).toBeInstanceOf(DependencyError);
    expect(String(offline)).not.toContain(wx.identity.appSecret);
  });
});
