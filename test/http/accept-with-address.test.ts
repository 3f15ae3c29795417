/**
 * 收下礼物 over an open address form is one request: POST /claims/:token/accept with `{ address }` sets the address
 * and accepts in one compare-and-set, by the rules of both (setAddress's, then accept's). Without a body the route is
 * what it was. On every local store engine, over real HTTP on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { Gift } from '../../shared/domain/gift';
import { isGroupOrder } from '../../shared/domain/gift-document';
import type { GroupUnit } from '../../shared/domain/group-units';
import type { Deps } from '../../shared/ports/deps';
import { ADDRESS, type ApiResponse, sendGift, serverForFile, type TestServer } from '../support/http-harness';

const codeOf = (r: ApiResponse) => (r.status < 300 ? String(r.status) : `${r.status} ${r.body.error.code}`);
const OTHER_ADDRESS = { name: '王五', phone: '13900139000', regionCode: '310104', detail: '漕溪北路 2 号' };

/** Every call the use cases make on the stores and the limiter, by name, while `on` is set. */
function recordingDeps(calls: string[]) {
  const record = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, key) {
        const value = Reflect.get(t, key);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${prefix}.${String(key)}`);
          return value.apply(t, args);
        };
      },
    });
  return (d: Deps): Deps => ({
    ...d,
    store: record(d.store, 'store'),
    groupStore: record(d.groupStore, 'groupStore'),
    limiter: record(d.limiter, 'limiter'),
  });
}

describe.each(['memory', 'leveldb', 'dynalite'])('accept with the address on LOCAL_STORE=%s', (store) => {
  const calls: string[] = [];
  const t = serverForFile({ env: { LOCAL_STORE: store }, wrapDeps: recordingDeps(calls) });
  let n = 0;
  const user = (role: string) => `${role}_${store}_${++n}`;
  const stored = async (id: string) => (await t.server.deps.store.get(id)) as Gift;
  const handoffsOf = async (id: string) => (await stored(id)).effects.filter((e) => e.kind === 'handoff');
  const accept = (token: string, as: string, body?: unknown, s: TestServer = t) => s.api('POST', `/claims/${token}/accept`, { as, body });
  /** The store and limiter calls one request makes. */
  const callsOf = async (send: () => Promise<ApiResponse>) => {
    calls.length = 0;
    const r = await send();
    return { r, calls: [...calls].sort() };
  };

  async function claimed(friend: string) {
    const g = await sendGift(t, user('giver'));
    expect(codeOf(await t.api('POST', `/claims/${g.token}/claim`, { as: friend }))).toBe('200');
    return g;
  }

  it('sets the address and accepts in one write: the store calls of a bodyless accept, one handoff to that address', async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    const before = await stored(giftId);
    const { r, calls: oneRequest } = await callsOf(() => accept(token, friend, { address: ADDRESS }));
    expect(codeOf(r)).toBe('200');
    expect(r.body.gift).toMatchObject({ status: 'accepted', address: { name: ADDRESS.name, phone: '+8613800138000', district: '朝阳区' } });
    expect(oneRequest.filter((c) => c === 'store.replace')).toHaveLength(1);
    const after = await stored(giftId);
    expect(after).toMatchObject({ status: 'accepted', version: before.version + 1, address: { detail: ADDRESS.detail } });
    expect(await handoffsOf(giftId)).toHaveLength(1);
    expect(after.effects.filter((e) => e.id === 'notify:gift_accepted')).toHaveLength(1);

    // The same request costs what a bodyless accept of an address saved before costs: the address adds no round trip.
    const other = user('friend');
    const second = await claimed(other);
    await t.api('PUT', `/claims/${second.token}/address`, { as: other, body: ADDRESS });
    const bodyless = await callsOf(() => accept(second.token, other));
    expect(codeOf(bodyless.r)).toBe('200');
    expect(oneRequest).toEqual(bodyless.calls);

    // The handoff carries the address of that write.
    await t.server.runMaintenance();
    const handoffs = t.server.dev.fulfillmentSink!.list().filter((h) => h.handoff.giftId === giftId);
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]!.handoff.address).toMatchObject({ name: ADDRESS.name, district: '朝阳区' });
  });

  it('replaces an address saved before with the one sent', async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    await t.api('PUT', `/claims/${token}/address`, { as: friend, body: ADDRESS });
    const r = await accept(token, friend, { address: OTHER_ADDRESS });
    expect(r.body.gift).toMatchObject({ status: 'accepted', address: { name: OTHER_ADDRESS.name, province: '上海市' } });
    expect((await stored(giftId)).address?.name).toBe(OTHER_ADDRESS.name);
  });

  it('an invalid address: 422 VALIDATION_FAILED with the fields under `address`, and the gift unchanged', async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    const before = await stored(giftId);
    const r = await accept(token, friend, { address: { ...ADDRESS, phone: '12345', regionCode: '999999' } });
    expect(codeOf(r)).toBe('422 VALIDATION_FAILED');
    expect(r.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['address.phone', 'address.regionCode']);
    expect(codeOf(await accept(token, friend, { address: { name: ADDRESS.name } }))).toBe('422 VALIDATION_FAILED');
    expect(codeOf(await accept(token, friend, { address: ADDRESS, extra: 1 }))).toBe('422 VALIDATION_FAILED');
    expect(codeOf(await accept(token, friend, { address: null }))).toBe('422 VALIDATION_FAILED');
    expect(await stored(giftId)).toEqual(before);
  });

  it("keeps setAddress's rules: only the recipient", async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    const before = await stored(giftId);
    expect(codeOf(await accept(token, user('stranger'), { address: ADDRESS }))).toBe('403 NOT_RECIPIENT');
    expect(await stored(giftId)).toEqual(before);
    expect(codeOf(await accept(token, before.giverId, { address: ADDRESS }))).toBe('403 NOT_RECIPIENT');
    expect(await stored(giftId)).toEqual(before);
  });

  it('on an accepted gift: the same address is a repeat (no write), another one 409 ALREADY_ACCEPTED, no body 200', async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    expect(codeOf(await accept(token, friend, { address: ADDRESS }))).toBe('200');
    const accepted = await stored(giftId);
    const repeat = await callsOf(() => accept(token, friend, { address: ADDRESS }));
    expect(codeOf(repeat.r)).toBe('200');
    expect(repeat.calls).not.toContain('store.replace');
    expect(codeOf(await accept(token, friend, { address: OTHER_ADDRESS }))).toBe('409 ALREADY_ACCEPTED');
    expect(codeOf(await accept(token, friend))).toBe('200');
    expect(await stored(giftId)).toEqual(accepted);
    expect(await handoffsOf(giftId)).toHaveLength(1);
  });

  it('a declined gift stays declined', async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    expect(codeOf(await t.api('POST', `/claims/${token}/decline`, { as: friend }))).toBe('200');
    expect(codeOf(await accept(token, friend, { address: ADDRESS }))).toBe('409 GIFT_DECLINED');
    expect(await stored(giftId)).toMatchObject({ status: 'declined', address: null });
  });

  it('without a body, or with an empty one, accept is what it was: 422 ADDRESS_REQUIRED until an address is saved', async () => {
    const friend = user('friend');
    const { giftId, token } = await claimed(friend);
    expect(codeOf(await accept(token, friend))).toBe('422 ADDRESS_REQUIRED');
    expect(codeOf(await accept(token, friend, {}))).toBe('422 ADDRESS_REQUIRED');
    const emptyJson = await t.api('POST', `/claims/${token}/accept`, {
      as: friend,
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(codeOf(emptyJson)).toBe('422 ADDRESS_REQUIRED');
    await t.api('PUT', `/claims/${token}/address`, { as: friend, body: ADDRESS });
    expect((await accept(token, friend)).body.gift).toMatchObject({ status: 'accepted', address: { name: ADDRESS.name } });
    expect(await handoffsOf(giftId)).toHaveLength(1);
  });

  it('a 群发礼物 unit: set and accepted in one write of the unit, one handoff', async () => {
    const giver = user('giver');
    const created = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue', mode: 'group', quantity: 2 } });
    const orderId = created.body.gift.id as string;
    const token = (await t.api('POST', `/gifts/${orderId}/pay`, { as: giver })).body.gift.claimToken as string;
    const friend = user('friend');
    const unitNo = (await t.api('POST', `/claims/${token}/claim`, { as: friend })).body.gift.unit.unitNo as number;
    const unit = async () => (await t.server.deps.groupStore.getUnit(orderId, unitNo)) as GroupUnit;
    const before = await unit();

    expect(codeOf(await accept(token, friend, { address: { ...ADDRESS, phone: '12345' } }))).toBe('422 VALIDATION_FAILED');
    expect(await unit()).toEqual(before);
    const { r, calls: oneRequest } = await callsOf(() => accept(token, friend, { address: ADDRESS }));
    expect(codeOf(r)).toBe('200');
    expect(r.body.gift).toMatchObject({ status: 'accepted', address: { name: ADDRESS.name } });
    expect(oneRequest.filter((c) => c === 'groupStore.replaceUnit')).toHaveLength(1);
    expect(oneRequest).not.toContain('store.replace');
    const after = await unit();
    expect(after).toMatchObject({ status: 'accepted', version: before.version + 1, address: { district: '朝阳区' } });
    expect(after.effects.filter((e) => e.kind === 'handoff')).toHaveLength(1);
    expect(codeOf(await accept(token, friend, { address: ADDRESS }))).toBe('200');
    expect(codeOf(await accept(token, friend, { address: OTHER_ADDRESS }))).toBe('409 ALREADY_ACCEPTED');
    expect(await unit()).toEqual(after);
    expect(isGroupOrder((await t.server.deps.store.get(orderId))!)).toBe(true);
  });

  // Last: the clock moves past every gift's deadline.
  it('past the deadline: 410 GIFT_EXPIRED, the gift expired by that write, no address kept, no handoff', async () => {
    const late = user('friend');
    const { giftId, token } = await claimed(late);
    t.clock.advanceSeconds(86_400);
    expect(codeOf(await accept(token, late, { address: ADDRESS }))).toBe('410 GIFT_EXPIRED');
    expect(await stored(giftId)).toMatchObject({ status: 'expired', address: null });
    expect(await handoffsOf(giftId)).toHaveLength(0);
  });
});
