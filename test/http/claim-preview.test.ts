/**
 * GET /claims/:token/preview over real HTTP, signed out: what a friend or a chat preview sees of a claim link (who
 * sends what, whether it is still open, nothing private), the one 404 for every kind of bad link, and misses limited
 * per client address (requests come from several loopback addresses, 127.0.0.x, so each is a client of its own).
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { assertDocumentedShape, claimAndAccept, sendGift, serverForFile } from '../support/http-harness';

const t = serverForFile();

/** GET `path` from the loopback address `from` (Linux routes all of 127.0.0.0/8 to lo), signed out unless a token is given. */
function getFrom(from: string, path: string, bearer?: string): Promise<{ status: number; text: string; body: any }> {
  return new Promise((resolve, reject) => {
    const headers = bearer ? { authorization: `Bearer ${bearer}` } : {};
    const req = request(`${t.server.url}${path}`, { localAddress: from, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const body = text ? JSON.parse(text) : null;
        assertDocumentedShape('GET', path, res.statusCode ?? 0, body);
        resolve({ status: res.statusCode ?? 0, text, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
const preview = (token: string, from = '127.0.0.1') => getFrom(from, `/claims/${token}/preview`);

/** Every key and every primitive value anywhere in a JSON value. */
function walk(value: unknown, keys: string[] = [], values: unknown[] = []): { keys: string[]; values: unknown[] } {
  if (Array.isArray(value)) for (const v of value) walk(v, keys, values);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      keys.push(k);
      walk(v, keys, values);
    }
  else values.push(value);
  return { keys, values };
}

describe('what the preview shows', () => {
  it('needs no sign-in: the giver’s name, the product’s title, open while it waits to be claimed', async () => {
    await t.api('PUT', '/me', { as: 'pv_giver', body: { displayName: '小红' } });
    const { token } = await sendGift(t, 'pv_giver', 'sku_scarf_blue', '给你的生日惊喜');
    const r = await preview(token);
    expect([r.status, r.body]).toEqual([200, { preview: { giverName: '小红', product: { title: '羊绒围巾' }, open: true } }]);
  });

  it('reveals nothing private at any stage: no message, price, style, recipient, address, thanks or dates', async () => {
    await t.api('PUT', '/me', { as: 'pv_priv_giver', body: { displayName: '大卫' } });
    await t.api('PUT', '/me', { as: 'pv_priv_friend', body: { displayName: '收礼的人' } });
    const { token } = await sendGift(t, 'pv_priv_giver', 'sku_scarf_blue', '秘密留言');
    const stages = [await preview(token)];
    await claimAndAccept(t, 'pv_priv_friend', token);
    await t.api('POST', `/claims/${token}/thanks`, { as: 'pv_priv_friend', body: { message: '私下的感谢' } });
    stages.push(await preview(token));
    for (const r of stages) {
      const { keys, values } = walk(r.body);
      expect(keys.sort()).toEqual(['giverName', 'open', 'preview', 'product', 'title']);
      for (const forbidden of ['message', 'priceFen', 'price', 'amountFen', 'recipient', 'address', 'sku', 'thanks', 'swaps', 'shipment'])
        expect(keys).not.toContain(forbidden);
      for (const secret of [
        '秘密留言',
        '私下的感谢',
        '收礼的人',
        'pv_priv_friend',
        '李四',
        '13800138000',
        '朝阳',
        29_900,
        'sku_scarf_blue',
      ])
        expect(values).not.toContain(secret);
      expect(r.text).not.toMatch(/秘密|私下|李四|1380013|29900|2990|sku_|pv_priv|T\d\d:\d\d/);
    }
    expect(stages[1]!.body.preview).toEqual({ giverName: '大卫', product: { title: '羊绒围巾' }, open: false });
  });

  it('is no longer open once claimed, or expired; a giver without a name shows null', async () => {
    const claimed = await sendGift(t, 'pv_nameless');
    expect((await preview(claimed.token)).body.preview.giverName).toBeNull();
    await t.api('POST', `/claims/${claimed.token}/claim`, { as: 'pv_claimer' });
    expect((await preview(claimed.token)).body.preview.open).toBe(false);

    const late = await sendGift(t, 'pv_nameless');
    expect((await preview(late.token)).body.preview.open).toBe(true);
    t.clock.advanceSeconds(24 * 3600);
    expect((await preview(late.token)).body.preview.open).toBe(false);
  });
});

describe('bad links', () => {
  it('answer malformed, unknown and wrong-secret links with the very same 404', async () => {
    const { token, giftId } = await sendGift(t, 'pv_404_giver');
    const bad = ['not-a-token', `${giftId}.${'x'.repeat(32)}`, `g_unknown000.${token.split('.')[1]}`, `${giftId}`];
    const answers = await Promise.all(bad.map((b) => preview(encodeURIComponent(b), '127.0.0.9')));
    for (const a of answers) expect([a.status, a.text]).toEqual([404, answers[0]!.text]);
    expect(answers[0]!.body.error.code).toBe('GIFT_NOT_FOUND');
    const replaced = await t.api('POST', `/gifts/${giftId}/claim-link`, { as: 'pv_404_giver' });
    expect(replaced.status).toBe(200);
    expect([(await preview(token, '127.0.0.9')).text]).toEqual([answers[0]!.text]); // a replaced link is a wrong secret
    expect((await preview(replaced.body.gift.claimToken, '127.0.0.9')).status).toBe(200);
  });
});

describe('guessing is limited per client address', () => {
  it('after 20 misses from one address every preview from it answers 429; other addresses and signed-in users go on', async () => {
    const { token, giftId } = await sendGift(t, 'pv_rate_giver');
    const guesses = Array.from({ length: 20 }, (_, i) => `${giftId}.${String(i).padStart(32, 'z')}`);
    for (const g of guesses) expect((await preview(g, '127.0.0.2')).status).toBe(404);

    const blocked = await preview(token, '127.0.0.2');
    expect([blocked.status, blocked.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await preview(guesses[0]!, '127.0.0.2')).status).toBe(429);
    expect((await preview(token, '127.0.0.3')).status).toBe(200); // another client
    // Signed-in lookups count per user, even from the blocked address.
    expect((await getFrom('127.0.0.2', `/claims/${token}`, await t.login('pv_rate_friend'))).status).toBe(200);

    t.clock.advanceSeconds(600);
    expect((await preview(token, '127.0.0.2')).status).toBe(200);
  });

  it('counts each miss before answering: 40 parallel misses from one address get exactly 20 × 404', async () => {
    const { giftId } = await sendGift(t, 'pv_burst_giver');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => preview(`${giftId}.${String(i).padStart(32, 'q')}`, '127.0.0.4')),
    );
    const count = (s: number) => answers.filter((a) => a.status === s).length;
    expect([count(404), count(429)]).toEqual([20, 20]);
  });

  it('does not count a signed-in user’s misses against the address they came from', async () => {
    const { token, giftId } = await sendGift(t, 'pv_sep_giver');
    for (let i = 0; i < 20; i++) await t.api('GET', `/claims/${giftId}.${String(i).padStart(32, 'w')}`, { as: 'pv_sep_user' });
    expect((await t.api('GET', `/claims/${token}`, { as: 'pv_sep_user' })).status).toBe(429);
    expect((await preview(token, '127.0.0.1')).status).toBe(200); // the same machine, previewing signed out
  });
});
