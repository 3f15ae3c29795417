/**
 * POST /claims/:token/thanks over real HTTP: the recipient's one note after accepting, its text rules, who may send it,
 * sent once, and who reads it (the recipient's own claim card, the giver's gift and list, the received list).
 */
import { describe, expect, it } from 'vitest';
import { ADDRESS, claimAndAccept, sendGift, serverForFile } from '../support/http-harness';

const t = serverForFile();
const codeOf = (r: { status: number; body: any }) => `${r.status} ${r.body?.error?.code}`;
let n = 0;

/** A gift sent by a fresh giver and accepted by a fresh recipient. */
async function acceptedGift() {
  const giver = `th_giver_${++n}`;
  const friend = `th_friend_${n}`;
  const { giftId, token } = await sendGift(t, giver, 'sku_scarf_blue', '生日快乐');
  await claimAndAccept(t, friend, token);
  return { giver, friend, giftId, token };
}
const thank = (token: string, as: string | undefined, message: unknown) =>
  t.api('POST', `/claims/${token}/thanks`, { ...(as ? { as } : {}), body: { message } });

describe('sending thanks', () => {
  it('answers the recipient’s claim card with the note (line breaks kept, trimmed), kept on the card', async () => {
    const { friend, token } = await acceptedGift();
    const r = await thank(token, friend, '  谢谢你的围巾！\n很暖和 🧣  ');
    expect(r.status).toBe(200);
    expect(r.body.gift).toMatchObject({
      status: 'accepted',
      viewer: 'recipient',
      thanks: { message: '谢谢你的围巾！\n很暖和 🧣', sentAt: t.clock.now().toISOString() },
    });
    expect(JSON.stringify(r.body)).not.toMatch(/29900|priceFen|amount/i); // still never a price
    expect((await t.api('GET', `/claims/${token}`, { as: friend })).body.gift.thanks.message).toBe('谢谢你的围巾！\n很暖和 🧣');
  });

  it('is once: the same text again is a repeat (200, unchanged), another text 409 THANKS_ALREADY_SENT', async () => {
    const { friend, giver, giftId, token } = await acceptedGift();
    const first = await thank(token, friend, '谢谢');
    t.clock.advanceSeconds(5);
    const again = await thank(token, friend, '谢谢');
    expect([again.status, again.body.gift.thanks]).toEqual([200, first.body.gift.thanks]);
    expect(codeOf(await thank(token, friend, '再谢一次'))).toBe('409 THANKS_ALREADY_SENT');
    expect((await t.api('GET', `/gifts/${giftId}`, { as: giver })).body.gift.thanks.message).toBe('谢谢');
    await t.api('POST', '/dev/sweep', { as: giver });
    const notices = (await t.api('GET', '/dev/notifications', { as: giver })).body.notifications;
    expect(notices.filter((x: { giftId: string; event: string }) => x.giftId === giftId && x.event === 'gift_thanked')).toEqual([
      expect.objectContaining({ userId: giver }),
    ]);
  });

  it('concurrent sends of two texts: exactly one is kept, the other is told 409', async () => {
    const { friend, token } = await acceptedGift();
    const answers = await Promise.all(['甲', '乙', '丙'].map((m) => thank(token, friend, m)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const kept = answers.find((a) => a.status === 200)!.body.gift.thanks.message;
    expect((await t.api('GET', `/claims/${token}`, { as: friend })).body.gift.thanks.message).toBe(kept);
  });
});

describe('who may send it', () => {
  it('not the giver, not a stranger (403 NOT_RECIPIENT), not before accepting (409 GIFT_NOT_ACCEPTED), not signed out (401)', async () => {
    const { giver, token } = await acceptedGift();
    expect(codeOf(await thank(token, giver, '谢谢'))).toBe('403 NOT_RECIPIENT');
    expect(codeOf(await thank(token, 'th_stranger', '谢谢'))).toBe('403 NOT_RECIPIENT');
    expect(codeOf(await thank(token, undefined, '谢谢'))).toBe('401 UNAUTHENTICATED');

    const sent = await sendGift(t, 'th_early_giver');
    expect(codeOf(await thank(sent.token, 'th_early_friend', '谢谢'))).toBe('403 NOT_RECIPIENT'); // nobody claimed it yet
    await t.api('POST', `/claims/${sent.token}/claim`, { as: 'th_early_friend' });
    expect(codeOf(await thank(sent.token, 'th_early_friend', '谢谢'))).toBe('409 GIFT_NOT_ACCEPTED');
    await t.api('PUT', `/claims/${sent.token}/address`, { as: 'th_early_friend', body: ADDRESS });
    expect(codeOf(await thank(sent.token, 'th_early_friend', '谢谢'))).toBe('409 GIFT_NOT_ACCEPTED');
    await t.api('POST', `/claims/${sent.token}/decline`, { as: 'th_early_friend' });
    expect(codeOf(await thank(sent.token, 'th_early_friend', '谢谢'))).toBe('409 GIFT_NOT_ACCEPTED');
  });

  it('answers an unknown, malformed or tampered link with the same 404 as any claim route', async () => {
    const { friend, token } = await acceptedGift();
    const [id] = token.split('.');
    const answers = await Promise.all(
      [`${id}.${'x'.repeat(32)}`, 'not-a-token', `g_nope0000.${'y'.repeat(32)}`].map((bad) => thank(bad, friend, '谢谢')),
    );
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
    expect(codeOf(answers[0]!)).toBe('404 GIFT_NOT_FOUND');
  });
});

describe('the text rules (those of the gift message, at most 50 characters)', () => {
  it('takes 50 code points (emoji count one) and refuses 51', async () => {
    const { friend, token } = await acceptedGift();
    const fifty = '🎉'.repeat(25) + '谢'.repeat(25);
    const long = await thank(token, friend, `${fifty}!`);
    expect(codeOf(long)).toBe('422 VALIDATION_FAILED');
    expect(long.body.error.issues).toEqual([{ path: 'message', message: 'message must be at most 50 characters' }]);
    expect((await thank(token, friend, fifty)).body.gift.thanks.message).toBe(fifty);
  });

  it.each([
    ['empty', '', /required/],
    ['blank with line breaks', ' \n\t ', /required/],
    ['invisible only', '\u200B\uFEFF', /required/],
    ['a C1 control', '谢\u0085谢', /control or bidi/],
    ['a lone carriage return', '谢\r谢', /control or bidi/],
    ['a bidi override', '\u202E谢谢', /control or bidi/],
    ['U+2029', '谢\u2029谢', /control or bidi/],
  ])('refuses %s with 422 naming message', async (_what, message, rule) => {
    const { friend, token } = await acceptedGift();
    const r = await thank(token, friend, message);
    expect(codeOf(r)).toBe('422 VALIDATION_FAILED');
    expect(r.body.error.issues).toEqual([{ path: 'message', message: expect.stringMatching(rule) }]);
    expect((await t.api('GET', `/claims/${token}`, { as: friend })).body.gift.thanks).toBeNull();
  });

  it('refuses a missing message, another type, an extra field', async () => {
    const { friend, token } = await acceptedGift();
    for (const body of [{}, { message: 5 }, { message: null }, { message: '谢谢', stars: 5 }])
      expect(codeOf(await t.api('POST', `/claims/${token}/thanks`, { as: friend, body })), JSON.stringify(body)).toBe(
        '422 VALIDATION_FAILED',
      );
  });
});

describe('who reads it', () => {
  it('the giver on the gift and in the sent list; the recipient on the card and the received list; nobody else', async () => {
    const { giver, friend, giftId, token } = await acceptedGift();
    expect((await t.api('GET', `/gifts/${giftId}`, { as: giver })).body.gift.thanks).toBeNull();
    await thank(token, friend, '收到啦，谢谢！');
    const thanks = { message: '收到啦，谢谢！', sentAt: t.clock.now().toISOString() };
    expect((await t.api('GET', `/gifts/${giftId}`, { as: giver })).body.gift.thanks).toEqual(thanks);
    expect((await t.api('GET', '/gifts?role=sent', { as: giver })).body.gifts[0].thanks).toEqual(thanks);
    expect((await t.api('GET', '/gifts?role=received', { as: friend })).body.gifts[0]).toMatchObject({ id: giftId, thanks });
    for (const other of [giver, 'th_reader_stranger']) {
      const card = await t.api('GET', `/claims/${token}`, { as: other });
      expect([card.status, card.body.gift.thanks], other).toEqual([200, null]);
    }
  });
});
