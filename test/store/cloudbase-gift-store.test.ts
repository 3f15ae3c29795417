import { describe, expect, it } from 'vitest';
import type { CloudbaseCollection, CloudbaseDb } from '../../shared/adapters/cloudbase/cloudbase-db';
import { CloudbaseGiftStore } from '../../shared/adapters/cloudbase/cloudbase-gift-store';
import { hashClaimToken } from '../../shared/domain/claim-token';
import type { Gift } from '../../shared/domain/gift';
import { addSeconds } from '../../shared/domain/time';
import { GiftExistsError, StoreUnavailableError } from '../../shared/ports/gift-store';
import { timerShardOf } from '../../shared/store/index-entries';
import { CloudbaseStandin, type StandinCall } from '../support/cloudbase-standin';
import { acceptedGift, sentGift, unpaidGift } from '../support/gift-fixtures';
import { giftStoreContract } from './gift-store-contract';

giftStoreContract('CloudBase (in-process stand-in of the SDK collection API)', async () => ({
  store: new CloudbaseGiftStore(new CloudbaseStandin(), 'gifts', { timerShards: 3 }),
  close: async () => undefined,
}));

const T = '2026-11-24T08:00:00.000Z';
const bump = (g: Gift, change: Partial<Gift>): Gift => ({ ...g, ...change, version: g.version + 1 });

function fresh(timerShards = 1) {
  const db = new CloudbaseStandin();
  const store = new CloudbaseGiftStore(db, 'gifts', { timerShards });
  const last = <Op extends StandinCall['op']>(op: Op) => db.calls.filter((c): c is Extract<StandinCall, { op: Op }> => c.op === op).at(-1)!;
  return { db, store, last };
}

describe('CloudBase adapter: what it sends to the database', () => {
  it('get is a read by _id', async () => {
    const { store, last } = fresh();
    await store.get('g_1');
    expect(last('doc.get')).toEqual({ op: 'doc.get', collection: 'gifts', id: 'g_1' });
  });

  it('insert adds one document keyed by the gift id, with only the indexes it belongs to', async () => {
    const { db, store } = fresh();
    const g = sentGift('g_ins', 'alice', T);
    await store.insert(g);
    expect(db.docs('gifts').get('g_ins')).toEqual({
      _id: 'g_ins',
      version: g.version,
      doc: g,
      claimHash: g.claimTokenHash,
      giverId: 'alice',
      giverSk: `${T}#g_ins`,
      timerPk: 'timer#0',
      timerSk: `${g.expiresAt}#g_ins`,
      timerKinds: ['sweep'],
    });
  });

  it('replace is a compare-and-set: where {_id, version} + set the document + remove index fields it left', async () => {
    const { db, store, last } = fresh();
    const g = acceptedGift('g_cas', 'alice', 'bob', T);
    await store.insert(g);
    expect(db.docs('gifts').get(g.id)).toMatchObject({ timerKinds: ['notify', 'handoff'] });
    const settled = bump(g, { effects: g.effects.map((e) => (e.kind === 'handoff' ? { ...e, status: 'done' as const } : e)) });
    await store.replace(settled, g.version);

    const call = last('where.update');
    expect(call.query).toEqual({ _id: g.id, version: g.version });
    expect(call.data).toMatchObject({
      version: settled.version,
      doc: { $set: settled },
      giverId: 'alice',
      recipientId: 'bob',
      timerKinds: { $set: ['notify'] },
    });
    const done = bump(settled, { effects: settled.effects.map((e) => ({ ...e, status: 'done' as const })) });
    await store.replace(done, settled.version);
    expect(last('where.update').data).toMatchObject({ timerPk: { $unset: '' }, timerSk: { $unset: '' }, timerKinds: { $unset: '' } });
    expect(db.docs('gifts').get(g.id)).not.toHaveProperty('timerPk');
  });

  it('replace drops nested keys the new version no longer has (set, not the default merge)', async () => {
    const { store } = fresh();
    const g = sentGift('g_nested', 'alice', T);
    await store.insert({ ...g, skuAttrs: { color: 'blue', size: 'L' } });
    const next = bump(g, { skuAttrs: { color: 'grey' } });
    await store.replace(next, g.version);
    expect((await store.get(g.id))!.skuAttrs).toEqual({ color: 'grey' });
  });

  it('listDue queries each timer shard for its kind, due by now, earliest first, with the limit', async () => {
    const { db, store } = fresh(4);
    const now = addSeconds(T, 90_000);
    await store.listDue('sweep', now, 25);
    const queries = db.calls.filter((c) => c.op === 'query.get');
    expect(queries).toHaveLength(4);
    expect(queries.map((q) => q.query?.timerPk).sort()).toEqual(['timer#0', 'timer#1', 'timer#2', 'timer#3']);
    for (const q of queries) {
      expect(q).toMatchObject({
        query: { timerSk: { $lte: `${now}#\uffff` }, timerKinds: 'sweep' },
        orderBy: [['timerSk', 'asc']],
        limit: 25,
      });
    }
    await store.listDue('handoff', now, 10, `${T}#g_x`);
    expect(db.calls.at(-1)).toMatchObject({
      query: { timerKinds: 'handoff', timerSk: { $and: [{ $gt: `${T}#g_x` }, { $lte: `${now}#\uffff` }] } },
    });
  });

  it('puts a gift in the shard its id hashes to, so every engine agrees', async () => {
    const { db, store } = fresh(16);
    const g = sentGift('g_shard_probe', 'alice', T);
    await store.insert(g);
    expect(db.docs('gifts').get(g.id)).toMatchObject({ timerPk: `timer#${timerShardOf(g.id, 16)}` });
  });

  it('matches a claim link inside the query, so a wrong secret and an unknown id send and receive the same', async () => {
    const { db, store } = fresh();
    const g = sentGift('g_claim', 'alice', T);
    await store.insert(g);
    expect(await store.getByClaim('g_claim', hashClaimToken('wrong'))).toBeNull();
    const wrong = db.calls.at(-1);
    expect(await store.getByClaim('g_nope', hashClaimToken('wrong'))).toBeNull();
    const unknown = db.calls.at(-1);
    expect(wrong).toEqual({ ...unknown, query: { _id: 'g_claim', claimHash: hashClaimToken('wrong') } });
    expect(wrong).toMatchObject({ op: 'query.get', limit: 1 });
  });

  it('pages with limit + 1 and a strict "less than" on the unique sort key', async () => {
    const { store, last } = fresh();
    for (let i = 0; i < 3; i++) await store.insert(unpaidGift(`g_p${i}`, 'alice', addSeconds(T, i)));
    const p1 = await store.listByGiver('alice', 2);
    expect(last('query.get')).toMatchObject({ query: { giverId: 'alice' }, orderBy: [['giverSk', 'desc']], limit: 3 });
    await store.listByGiver('alice', 2, p1.cursor!);
    expect(last('query.get').query).toEqual({ giverId: 'alice', giverSk: { $lt: `${addSeconds(T, 1)}#g_p1` } });
  });

  it('keeps within the service maximum of 1000 documents per get and never sends limit 0', async () => {
    const { db, store, last } = fresh();
    await store.listDue('sweep', T, 5_000);
    expect(last('query.get').limit).toBe(1000);
    await store.listByGiver('alice', 5_000);
    expect(last('query.get').limit).toBe(1000);
    const before = db.calls.length;
    expect(await store.listDue('refund', T, 0)).toEqual({ items: [], next: null });
    expect(db.calls.length).toBe(before);
  });

  it('never sends a query without a filter (no collection scans)', async () => {
    const { db, store } = fresh();
    const g = sentGift('g_scan', 'alice', T);
    await store.insert(g);
    await store.replace(bump(g, { message: 'x' }), g.version);
    await store.get(g.id);
    await store.listByGiver('alice', 5);
    await store.listByRecipient('bob', 5);
    for (const kind of ['sweep', 'handoff', 'refund', 'notify'] as const) await store.listDue(kind, T, 5);
    await store.getByClaim(g.id, g.claimTokenHash!);
    const queries = db.calls.filter((c) => c.op === 'query.get' || c.op === 'where.update');
    expect(queries.length).toBe(8);
    for (const c of queries) expect(Object.keys(c.query ?? {}).length).toBeGreaterThan(0);
  });

  it('an add that fails ambiguously is settled by a read by _id', async () => {
    const db = new CloudbaseStandin();
    const real = db.collection('gifts');
    let landed = true; // did the write reach the database before the connection dropped?
    const lossy: CloudbaseCollection = Object.assign(Object.create(real) as CloudbaseCollection, {
      add: async (data: Record<string, unknown>) => {
        if (landed) await real.add(data);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    });
    const store = new CloudbaseGiftStore({ command: db.command, collection: () => lossy }, 'gifts');
    await expect(store.insert(sentGift('g_lost_reply', 'alice', T))).rejects.toBeInstanceOf(GiftExistsError);
    landed = false;
    await expect(store.insert(sentGift('g_lost_write', 'alice', T))).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } });
  });

  it('treats a failure reported in the result (setThrowOnCode(false)) as a failure, not as a version conflict', async () => {
    const db = new CloudbaseStandin();
    const real = db.collection('gifts');
    const failing: CloudbaseCollection = Object.assign(Object.create(real) as CloudbaseCollection, {
      where: () => ({ update: async () => ({ code: 'DATABASE_REQUEST_FAILED', message: 'boom' }) }),
    });
    const store = new CloudbaseGiftStore({ command: db.command, collection: () => failing }, 'gifts');
    const g = sentGift('g_code', 'alice', T);
    const failure = store.replace(bump(g, {}), g.version);
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toMatchObject({ cause: { code: 'DATABASE_REQUEST_FAILED' } });
  });
});

// Against the real service only when asked: the SDK is loaded lazily here and nowhere on the offline path.
const live = Boolean(process.env.TCB_ENV);
if (!live) console.warn('CloudBase live contract run skipped: set TCB_ENV, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY to run it');

describe.skipIf(!live)('CloudBase live', () => {
  giftStoreContract(`CloudBase live (env ${process.env.TCB_ENV})`, async () => {
    const { default: tcb } = await import('@cloudbase/node-sdk');
    const app = tcb.init({
      env: process.env.TCB_ENV,
      secretId: process.env.TENCENTCLOUD_SECRETID,
      secretKey: process.env.TENCENTCLOUD_SECRETKEY,
    });
    const real = app.database();
    const name = process.env.TCB_COLLECTION ?? 'songli_gifts_test';
    await Promise.resolve(real.createCollection(name)).catch(() => undefined); // fails when it exists: fine
    // The contract's due-list checks assume no leftovers from earlier runs in their time windows.
    await real
      .collection(name)
      .where({ _id: real.command.exists(true) })
      .remove();
    const db: CloudbaseDb = real; // tsc checks the structural type against the SDK's own
    return { store: new CloudbaseGiftStore(db, name), close: async () => undefined };
  });
});
