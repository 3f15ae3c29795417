/**
 * The display name over real HTTP: GET/PUT /me, its text rules, kept in the store through the shared values (on every
 * local engine, across a restart), snapshotted into each gift at creation and shown to both sides; the recipient's
 * own name (their address) never reaches the giver.
 */
import { describe, expect, it } from 'vitest';
import { ADDRESS, claimAndAccept, sendGift, serverForFile, startTestServer, tempDataDir } from '../support/http-harness';

const t = serverForFile();
const codeOf = (r: { status: number; body: any }) => `${r.status} ${r.body?.error?.code}`;

describe('GET /me and PUT /me', () => {
  it('is null until set, then the trimmed name; 401 without a token', async () => {
    expect((await t.api('GET', '/me', { as: 'p_new' })).body).toEqual({ profile: { displayName: null } });
    const put = await t.api('PUT', '/me', { as: 'p_new', body: { displayName: '  小明  ' } });
    expect([put.status, put.body]).toEqual([200, { profile: { displayName: '小明' } }]);
    expect((await t.api('GET', '/me', { as: 'p_new' })).body).toEqual({ profile: { displayName: '小明' } });
    expect((await t.api('PUT', '/me', { as: 'p_new', body: { displayName: '明明' } })).body.profile.displayName).toBe('明明');
    expect((await t.api('GET', '/me', { as: 'p_other' })).body.profile.displayName).toBeNull(); // one profile per user
    expect(codeOf(await t.api('GET', '/me'))).toBe('401 UNAUTHENTICATED');
    expect(codeOf(await t.api('PUT', '/me', { body: { displayName: 'x' } }))).toBe('401 UNAUTHENTICATED');
  });

  it('takes 20 characters counted as code points (emoji too) and refuses 21', async () => {
    const twenty = '🎁'.repeat(10) + '小明'.repeat(5);
    expect((await t.api('PUT', '/me', { as: 'p_len', body: { displayName: twenty } })).body.profile.displayName).toBe(twenty);
    const r = await t.api('PUT', '/me', { as: 'p_len', body: { displayName: `${twenty}!` } });
    expect(codeOf(r)).toBe('422 VALIDATION_FAILED');
    expect(r.body.error.issues).toEqual([{ path: 'displayName', message: 'displayName must be at most 20 characters' }]);
    expect((await t.api('GET', '/me', { as: 'p_len' })).body.profile.displayName).toBe(twenty); // unchanged
  });

  it.each([
    ['empty', '', /required/],
    ['spaces only', '   ', /required/],
    ['invisible only (U+200B, U+3164)', '\u200B\u3164', /required/],
    ['a line break', '小\n明', /control or bidi/],
    ['a C1 control (U+0085)', '小\u0085明', /control or bidi/],
    ['a bidi override (U+202E)', '\u202E明小', /control or bidi/],
    ['U+2028', '小\u2028明', /control or bidi/],
  ])('refuses %s with 422 naming displayName', async (_what, displayName, message) => {
    const r = await t.api('PUT', '/me', { as: 'p_rules', body: { displayName } });
    expect(codeOf(r)).toBe('422 VALIDATION_FAILED');
    expect(r.body.error.issues).toEqual([{ path: 'displayName', message: expect.stringMatching(message) }]);
  });

  it('refuses a missing, non-string or extra field', async () => {
    for (const body of [{}, { displayName: 7 }, { displayName: null }, { displayName: '小明', avatar: 'x' }]) {
      expect(codeOf(await t.api('PUT', '/me', { as: 'p_rules', body })), JSON.stringify(body)).toBe('422 VALIDATION_FAILED');
    }
    expect((await t.api('GET', '/me', { as: 'p_rules' })).body.profile.displayName).toBeNull();
  });

  it('keeps every one of concurrent renames whole (compare-and-set): the last one read is one of them', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `名字${i}`);
    const answers = await Promise.all(names.map((displayName) => t.api('PUT', '/me', { as: 'p_race', body: { displayName } })));
    expect(answers.map((a) => a.status)).toEqual(names.map(() => 200));
    expect(names).toContain((await t.api('GET', '/me', { as: 'p_race' })).body.profile.displayName);
  });
});

describe('the name on gifts', () => {
  it('is snapshotted at POST /gifts and shown on the giver’s gift, the claim card and the received list', async () => {
    expect((await t.api('PUT', '/me', { as: 'n_giver', body: { displayName: '老王' } })).status).toBe(200);
    const { giftId, token } = await sendGift(t, 'n_giver');
    expect((await t.api('PUT', '/me', { as: 'n_giver', body: { displayName: '王先生' } })).status).toBe(200);
    t.clock.advanceSeconds(1); // the list is newest first
    const renamedAfter = await sendGift(t, 'n_giver');

    expect((await t.api('GET', `/gifts/${giftId}`, { as: 'n_giver' })).body.gift.giverName).toBe('老王');
    expect((await t.api('GET', `/gifts/${renamedAfter.giftId}`, { as: 'n_giver' })).body.gift.giverName).toBe('王先生');
    const sent = await t.api('GET', '/gifts?role=sent', { as: 'n_giver' });
    expect(sent.body.gifts.map((g: { giverName: string }) => g.giverName)).toEqual(['王先生', '老王']);
    for (const who of ['n_friend', 'n_stranger', 'n_giver'])
      expect((await t.api('GET', `/claims/${token}`, { as: who })).body.gift.giverName, who).toBe('老王');

    await claimAndAccept(t, 'n_friend', token);
    const received = await t.api('GET', '/gifts?role=received', { as: 'n_friend' });
    expect(received.body.gifts).toEqual([expect.objectContaining({ id: giftId, giverName: '老王', thanks: null })]);
  });

  it('is null on gifts of a giver who never set one', async () => {
    const { giftId, token } = await sendGift(t, 'anon_giver');
    expect((await t.api('GET', `/gifts/${giftId}`, { as: 'anon_giver' })).body.gift.giverName).toBeNull();
    expect((await t.api('GET', `/claims/${token}`, { as: 'anon_friend' })).body.gift.giverName).toBeNull();
  });

  it('never carries the recipient’s name to the giver: their display name or the name on the address', async () => {
    await t.api('PUT', '/me', { as: 'priv_friend', body: { displayName: '神秘收礼人' } });
    const { giftId, token } = await sendGift(t, 'priv_giver');
    await claimAndAccept(t, 'priv_friend', token);
    await t.api('POST', `/claims/${token}/thanks`, { as: 'priv_friend', body: { message: '谢谢' } });
    for (const path of [`/gifts/${giftId}`, '/gifts?role=sent']) {
      const json = JSON.stringify((await t.api('GET', path, { as: 'priv_giver' })).body);
      for (const secret of ['神秘收礼人', 'priv_friend', ADDRESS.name, ADDRESS.detail, '13800138000']) expect(json).not.toContain(secret);
    }
  });
});

describe.each(['leveldb', 'memory'] as const)('on LOCAL_STORE=%s', (store) => {
  it('keeps the name and gifts carry it', async () => {
    const tmp = tempDataDir();
    const s = await startTestServer({ dataDir: tmp.dir, env: { LOCAL_STORE: store } });
    try {
      expect((await s.api('PUT', '/me', { as: 'e_giver', body: { displayName: '阿强' } })).status).toBe(200);
      expect((await s.api('GET', '/me', { as: 'e_giver' })).body.profile.displayName).toBe('阿强');
      const { token } = await sendGift(s, 'e_giver');
      expect((await s.api('GET', `/claims/${token}`, { as: 'e_friend' })).body.gift.giverName).toBe('阿强');
    } finally {
      await s.stop();
      tmp.remove();
    }
  });
});

it('outlives a restart of the local server (dynalite on disk)', async () => {
  const tmp = tempDataDir();
  try {
    const first = await startTestServer({ dataDir: tmp.dir });
    await first.api('PUT', '/me', { as: 'r_giver', body: { displayName: '持久' } });
    await first.stop();
    const second = await startTestServer({ dataDir: tmp.dir });
    expect((await second.api('GET', '/me', { as: 'r_giver' })).body.profile.displayName).toBe('持久');
    await second.stop();
  } finally {
    tmp.remove();
  }
});
