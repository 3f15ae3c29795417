/**
 * Regression tests for the defects a hostile client found, each over real HTTP against the local server on its
 * default store (the DynamoDB adapter on embedded dynalite), unless a test says otherwise.
 */
import { connect } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MerchantCatalog } from '../../shared/adapters/merchant/merchant-catalog';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import {
  ADDRESS,
  claimAndAccept,
  sendGift,
  serverForFile,
  startTestServer,
  T0,
  type TestServer,
  tempDataDir,
} from '../support/http-harness';

const DEV_JWT_SECRET = 'hostile_defects_dev_jwt_secret_0123456789';
const t = serverForFile({ env: { DEV_JWT_SECRET } });
const codeOf = (r: { status: number; body: any }) => `${r.status} ${r.body?.error?.code ?? 'ok'}`;

describe('forged, foreign and empty list cursors answer 422 INVALID_CURSOR, never 500', () => {
  for (const store of ['dynalite', 'leveldb', 'memory'] as const) {
    describe(store, () => {
      let s: TestServer;
      const tmp = tempDataDir();
      beforeAll(async () => {
        s = await startTestServer({ dataDir: tmp.dir, env: { LOCAL_STORE: store } });
      });
      afterAll(async () => {
        await s.stop();
        tmp.remove();
      });

      it('refuses another caller’s, another list’s, an edited and an empty cursor', async () => {
        for (let i = 0; i < 3; i++) await sendGift(s, 'cursor_giver');
        const first = await s.api('GET', '/gifts?role=sent&limit=2', { as: 'cursor_giver' });
        expect(first.body.cursor).toEqual(expect.any(String));
        const cursor = encodeURIComponent(first.body.cursor);
        expect((await s.api('GET', `/gifts?role=sent&limit=2&cursor=${cursor}`, { as: 'cursor_giver' })).body.gifts).toHaveLength(1);

        const [payload, mac] = first.body.cursor.split('.');
        const edited = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('T', 'X')).toString('base64url');
        const attempts = {
          foreign: await s.api('GET', `/gifts?role=sent&cursor=${cursor}`, { as: 'someone_else' }),
          otherList: await s.api('GET', `/gifts?role=received&cursor=${cursor}`, { as: 'cursor_giver' }),
          edited: await s.api('GET', `/gifts?role=sent&cursor=${edited}.${mac}`, { as: 'cursor_giver' }),
          empty: await s.api('GET', '/gifts?role=sent&cursor=', { as: 'cursor_giver' }),
          garbage: await s.api('GET', `/gifts?role=sent&cursor=${encodeURIComponent('{"id":"x","giverId":"y"}')}`, { as: 'cursor_giver' }),
          oldFormat: await s.api(
            'GET',
            `/gifts?role=sent&cursor=${Buffer.from('{"id":"g_1","giverId":"cursor_giver","createdAt":"x"}').toString('base64url')}`,
            {
              as: 'cursor_giver',
            },
          ),
        };
        for (const [what, r] of Object.entries(attempts)) expect(codeOf(r), what).toBe('422 INVALID_CURSOR');
      });
    });
  }
});

describe('text fields refuse C1 controls, line and paragraph separators, bidi overrides and invisible-only values', () => {
  it.each([
    ['message with U+0085 (C1)', { skuId: 'sku_scarf_blue', message: 'hi\u0085there' }],
    ['message with U+2028', { skuId: 'sku_scarf_blue', message: 'hi\u2028there' }],
    ['message with U+202E (bidi override)', { skuId: 'sku_scarf_blue', message: 'gift \u202Eevil' }],
  ])('POST /gifts: %s → 422', async (_what, body) => {
    const r = await t.api('POST', '/gifts', { as: 'text_giver', body });
    expect(codeOf(r)).toBe('422 VALIDATION_FAILED');
    expect(r.body.error.issues[0]).toMatchObject({ path: 'message', message: expect.stringMatching(/control or bidi/) });
  });

  it.each([
    ['name of U+200B only', { ...ADDRESS, name: '\u200B\u200B' }, 'name', /required/],
    ['name of U+3164 only', { ...ADDRESS, name: '\u3164' }, 'name', /required/],
    ['detail of U+FEFF only', { ...ADDRESS, detail: '\uFEFF\uFEFF' }, 'detail', /required/],
    ['name with U+0099', { ...ADDRESS, name: '李\u0099四' }, 'name', /control or bidi/],
    ['detail with U+2029', { ...ADDRESS, detail: '朝阳路\u20291号' }, 'detail', /control or bidi/],
    ['detail with U+2066', { ...ADDRESS, detail: '朝阳路\u20661号' }, 'detail', /control or bidi/],
    ['a Hong Kong district', { ...ADDRESS, regionCode: '810101' }, 'regionCode', /mainland/],
    ['a Macau district', { ...ADDRESS, regionCode: '820102' }, 'regionCode', /mainland/],
    ['a Taiwan district', { ...ADDRESS, regionCode: '710101' }, 'regionCode', /mainland/],
  ])('PUT /claims/:token/address: %s → 422', async (_what, address, path, message) => {
    const { token } = await sendGift(t, 'addr_giver');
    await t.api('POST', `/claims/${token}/claim`, { as: 'addr_friend' });
    const r = await t.api('PUT', `/claims/${token}/address`, { as: 'addr_friend', body: address });
    expect(codeOf(r)).toBe('422 VALIDATION_FAILED');
    expect(r.body.error.issues).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
  });
});

describe('a JSON body in another charset is refused, not stored garbled', () => {
  it.each(['application/json; charset=gbk', 'application/json;charset=GB2312', 'application/json; charset="latin1"'])(
    '%s → 415',
    async (type) => {
      const r = await t.api('POST', '/gifts', {
        as: 'charset_giver',
        rawBody: JSON.stringify({ skuId: 'sku_scarf_blue', message: 'hi' }),
        headers: { 'content-type': type },
      });
      expect(codeOf(r)).toBe('415 UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it.each(['application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json; charset="utf8"'])(
    '%s is accepted',
    async (type) => {
      const r = await t.api('POST', '/gifts', {
        as: 'charset_giver',
        rawBody: JSON.stringify({ skuId: 'sku_scarf_blue', message: '生日快乐' }),
        headers: { 'content-type': type },
      });
      expect(r.status).toBe(201);
      expect(r.body.gift.message).toBe('生日快乐');
    },
  );
});

describe('claim-link guessing is counted before an answer is given', () => {
  it('answers 60 parallel wrong guesses with exactly 20 × 404 and 40 × 429, and stops the caller', async () => {
    const { token, giftId } = await sendGift(t, 'burst_giver');
    const guesses = Array.from({ length: 60 }, (_, i) => `${giftId}.${String(i).padStart(32, 'y')}`);
    const answers = await Promise.all(guesses.map((g) => t.api('GET', `/claims/${g}`, { as: 'burst_guesser' })));
    const tally: Record<string, number> = {};
    for (const r of answers) tally[codeOf(r)] = (tally[codeOf(r)] ?? 0) + 1;
    expect(tally).toEqual({ '404 GIFT_NOT_FOUND': 20, '429 RATE_LIMITED': 40 });
    expect(codeOf(await t.api('GET', `/claims/${token}`, { as: 'burst_guesser' }))).toBe('429 RATE_LIMITED');
    expect(codeOf(await t.api('GET', `/claims/${token}`, { as: 'burst_honest' }))).toBe('200 ok');
  });
});

describe('an unknown gift and a wrong secret do the same work', () => {
  /** Every call a lookup makes to the store and the limiter, and whether a claim match found a gift. */
  function recording<T extends object>(target: T, calls: string[]): T {
    return new Proxy(target, {
      get(t, key) {
        const value = Reflect.get(t, key);
        if (typeof value !== 'function') return value;
        const found = (r: unknown) => (r === null ? 'null' : 'found');
        // The answers at once (ports: getByClaimNow, failuresNow) stay synchronous, as the lookup calls them.
        if (typeof key === 'string' && key.endsWith('Now'))
          return (...args: unknown[]) => {
            const result = value.apply(t, args);
            calls.push(key === 'getByClaimNow' ? `getByClaimNow → ${found(result)}` : key);
            return result;
          };
        return async (...args: unknown[]) => {
          const result = await value.apply(t, args);
          if (key === 'getByClaim') calls.push(`getByClaim → ${found(result)}`);
          else if (key === 'failuresWithClaim') calls.push(`failuresWithClaim → ${found((result as { gift: unknown }).gift)}`);
          else calls.push(String(key));
          return result;
        };
      },
    });
  }

  // dynalite: the counter and the gift in one BatchGetItem, the hash compared before any decoding; leveldb: the
  // store's own hash match beside the counter read, both answered at once in process.
  it.each([
    ['dynalite', ['failuresWithClaim → null', 'recordFailure']],
    ['leveldb', ['failuresNow', 'getByClaimNow → null', 'recordFailure']],
  ])('on %s both make the same calls, whose claim match finds nothing, and answer the same bytes', async (store, expected) => {
    const calls: string[] = [];
    const tmp = tempDataDir();
    const s = await startTestServer({
      dataDir: tmp.dir,
      env: { LOCAL_STORE: store },
      wrapDeps: (d) => ({ ...d, store: recording(d.store, calls), limiter: recording(d.limiter, calls) }),
    });
    try {
      const { giftId } = await sendGift(s, 'timing_giver');
      const probe = async (token: string) => {
        calls.length = 0;
        const res = await fetch(`${s.server.url}/claims/${token}`, {
          headers: { authorization: `Bearer ${await s.login('timing_friend')}` },
        });
        const headers = [...res.headers].filter(([k]) => k !== 'date');
        return { status: res.status, body: await res.text(), headers, calls: [...calls].sort() };
      };
      const wrongSecret = await probe(`${giftId}.${'w'.repeat(32)}`);
      const unknownGift = await probe(`g_${'n'.repeat(20)}.${'w'.repeat(32)}`);
      expect(wrongSecret).toEqual(unknownGift);
      expect(wrongSecret.calls).toEqual(expected);
      expect(wrongSecret.status).toBe(404);
    } finally {
      await s.stop();
      tmp.remove();
    }
  });
});

describe('a client that hangs up mid-body', () => {
  it('is logged as a client abort at info level, not as an unhandled error', async () => {
    const lines: string[] = [];
    const tmp = tempDataDir();
    const s = await startTestServer({
      dataDir: tmp.dir,
      env: { LOG_LEVEL: 'info', LOCAL_STORE: 'memory' },
      logDestination: { write: (chunk: string) => void lines.push(...chunk.split('\n').filter(Boolean)) },
    });
    try {
      const token = await s.login('abort_giver');
      const { port } = new URL(s.server.url);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST /gifts HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n` +
              'content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"skuId":"sku_',
          );
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
      });
      await new Promise((r) => setTimeout(r, 200));
      const parsed = lines.map((l) => JSON.parse(l) as { level: string; msg: string; status?: number });
      expect(parsed.filter((l) => l.level === 'error')).toEqual([]);
      expect(parsed).toContainEqual(
        expect.objectContaining({ level: 'info', msg: 'client closed the request before sending its body', status: 499 }),
      );
    } finally {
      await s.stop();
      tmp.remove();
    }
  });
});

describe('login tokens', () => {
  const secret = new TextEncoder().encode(DEV_JWT_SECRET);
  const sign = (claims: { exp?: number; sub?: string }) => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('songli-local').setAudience('songli').setIssuedAt();
    if (claims.sub) jwt = jwt.setSubject(claims.sub);
    if (claims.exp) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(secret);
  };
  const products = async (token: string) => codeOf(await t.api('GET', '/products', { headers: { authorization: `Bearer ${token}` } }));

  it('refuses a correctly signed token without exp (it would be valid forever)', async () => {
    expect(await products(await sign({ sub: 'no_exp' }))).toBe('401 UNAUTHENTICATED');
  });

  it('accepts one with exp in the future and refuses an expired one', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await products(await sign({ sub: 'with_exp', exp: now + 60 }))).toBe('200 ok');
    expect(await products(await sign({ sub: 'with_exp', exp: now - 60 }))).toBe('401 UNAUTHENTICATED');
  });
});

describe('what a guest sees of a claimed gift', () => {
  it('is the giver’s original style, never the recipient’s swap', async () => {
    const { token } = await sendGift(t, 'guest_giver', 'sku_scarf_blue');
    await t.api('POST', `/claims/${token}/claim`, { as: 'guest_recipient' });
    await t.api('PUT', `/claims/${token}/variant`, { as: 'guest_recipient', body: { skuId: 'sku_scarf_grey' } });
    const recipient = await t.api('GET', `/claims/${token}`, { as: 'guest_recipient' });
    expect(recipient.body.gift.sku).toEqual({ id: 'sku_scarf_grey', attrs: { 颜色: '燕麦灰' } });
    const guest = await t.api('GET', `/claims/${token}`, { as: 'guest_stranger' });
    expect(guest.body.gift).toMatchObject({
      viewer: 'guest',
      claimedBySomeoneElse: true,
      sku: { id: 'sku_scarf_blue', attrs: { 颜色: '雾霾蓝' } },
      swaps: [],
    });
    expect(JSON.stringify(guest.body)).not.toContain('燕麦灰');
  });
});

describe('the ¥10,000 rule reads the list price', () => {
  it('refuses a discounted style whose 原价 is over the limit, and flags its product as not giftable', async () => {
    const r = await t.api('POST', '/gifts', { as: 'list_price_giver', body: { skuId: 'sku_espresso' } });
    expect(codeOf(r)).toBe('422 GIFT_INELIGIBLE');
    expect(r.body.error.message).toMatch(/original price is over ¥10,000/);
    const products = await t.api('GET', '/products', { as: 'list_price_giver' });
    expect(products.body.products.find((p: { id: string }) => p.id === 'p_espresso')).toMatchObject({
      giftable: false,
      skus: [{ priceFen: 899_900, listPriceFen: 1_099_900 }],
    });
  });
});

describe('an unpaid gift that is canceled', () => {
  it('shows "payment closed, nothing refunded", not a refund', async () => {
    const created = await t.api('POST', '/gifts', { as: 'unpaid_giver', body: { skuId: 'sku_tea_250' } });
    t.clock.advanceSeconds(1_800);
    await t.api('POST', '/dev/sweep', { as: 'unpaid_giver' });
    t.clock.advanceSeconds(-1_800);
    const view = await t.api('GET', `/gifts/${created.body.gift.id}`, { as: 'unpaid_giver' });
    expect(view.body.gift).toMatchObject({ status: 'canceled', refund: { status: 'done', outcome: 'payment_closed', amountFen: 0 } });
    const refunds = await t.api('GET', '/dev/refunds', { as: 'unpaid_giver' });
    expect(refunds.body.refunds.filter((r: { giftId: string }) => r.giftId === created.body.gift.id)).toEqual([]);
  });

  it('a paid gift that expires shows a real refund of the amount paid', async () => {
    const { giftId } = await sendGift(t, 'refund_giver', 'sku_tea_250');
    t.clock.advanceSeconds(86_400);
    await t.api('POST', '/dev/sweep', { as: 'refund_giver' });
    t.clock.advanceSeconds(-86_400);
    const view = await t.api('GET', `/gifts/${giftId}`, { as: 'refund_giver' });
    expect(view.body.gift.refund).toMatchObject({ status: 'done', outcome: 'refunded', amountFen: 26_800 });
  });
});

describe('a merchant service that is down', () => {
  it('answers 503 DEPENDENCY_UNAVAILABLE (retry later), not 500', async () => {
    const tmp = tempDataDir();
    const clock = new FixedClock(T0);
    const s = await startTestServer({
      dataDir: tmp.dir,
      clock,
      env: { LOCAL_STORE: 'memory' },
      wrapDeps: (d) => ({
        ...d,
        catalog: new MerchantCatalog({ baseUrl: 'http://127.0.0.1:9/', secret: 'merchant_secret_0123456789', clock }),
      }),
    });
    try {
      expect(codeOf(await s.api('GET', '/products', { as: 'outage_giver' }))).toBe('503 DEPENDENCY_UNAVAILABLE');
      expect(codeOf(await s.api('POST', '/gifts', { as: 'outage_giver', body: { skuId: 'sku_scarf_blue' } }))).toBe(
        '503 DEPENDENCY_UNAVAILABLE',
      );
    } finally {
      await s.stop();
      tmp.remove();
    }
  });
});

describe('the whole flow still works', () => {
  it('sends, claims, accepts and hands off', async () => {
    const { token } = await sendGift(t, 'flow_giver');
    await claimAndAccept(t, 'flow_friend', token);
    await t.api('POST', '/dev/sweep', { as: 'flow_giver' });
    const handoffs = await t.api('GET', '/dev/fulfillments', { as: 'flow_giver' });
    expect(handoffs.body.fulfillments.length).toBeGreaterThan(0);
  });
});
