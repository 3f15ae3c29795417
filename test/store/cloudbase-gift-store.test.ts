import { describe, expect, it } from 'vitest';
import type { CloudbaseCollection, CloudbaseDb } from '../../shared/adapters/cloudbase/cloudbase-db';
import { CloudbaseGiftStore } from '../../shared/adapters/cloudbase/cloudbase-gift-store';
import { GiftExistsError } from '../../shared/domain/errors';
import type { Gift } from '../../shared/domain/gift';
import { SWEEPABLE_STATUSES } from '../../shared/domain/gift-index-keys';
import { addSeconds } from '../../shared/domain/time';
import { CloudbaseStandin, type StandinCall } from '../support/cloudbase-standin';
import { acceptedGift, sentGift, unpaidGift } from '../support/gift-fixtures';
import { giftStoreContract } from './gift-store-contract';

giftStoreContract('CloudBase (in-process stand-in of the SDK collection API)', async () => ({
  store: new CloudbaseGiftStore(new CloudbaseStandin(), 'gifts'),
  close: async () => undefined,
}));

const T = '2026-11-24T08:00:00.000Z';
const bump = (g: Gift, change: Partial<Gift>): Gift => ({ ...g, ...change, version: g.version + 1 });

function fresh() {
  const db = new CloudbaseStandin();
  const store = new CloudbaseGiftStore(db, 'gifts');
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
      giverId: 'alice',
      giverSort: `${T}#g_ins`,
      sweepStatus: 'sent',
      sweepAt: g.expiresAt,
    });
  });

  it('replace is a compare-and-set: where {_id, version} + set the document + remove index fields it left', async () => {
    const { db, store, last } = fresh();
    const g = acceptedGift('g_cas', 'alice', 'bob', T);
    await store.insert(g);
    expect(db.docs('gifts').get(g.id)).toHaveProperty('handoffDueAt');
    const settled = bump(g, { effects: g.effects.map((e) => (e.kind === 'handoff' ? { ...e, status: 'done' as const } : e)) });
    await store.replace(settled, g.version);

    const call = last('where.update');
    expect(call.query).toEqual({ _id: g.id, version: g.version });
    expect(call.data).toMatchObject({
      version: settled.version,
      doc: { $set: settled },
      giverId: 'alice',
      recipientId: 'bob',
      handoffDueAt: { $unset: '' },
      refundDueAt: { $unset: '' },
      sweepStatus: { $unset: '' },
      sweepAt: { $unset: '' },
    });
    expect(call.data.notifyDueAt).toEqual(expect.any(String));
    expect(db.docs('gifts').get(g.id)).not.toHaveProperty('handoffDueAt');
  });

  it('replace drops nested keys the new version no longer has (set, not the default merge)', async () => {
    const { store } = fresh();
    const g = sentGift('g_nested', 'alice', T);
    await store.insert({ ...g, skuAttrs: { color: 'blue', size: 'L' } });
    const next = bump(g, { skuAttrs: { color: 'grey' } });
    await store.replace(next, g.version);
    expect((await store.get(g.id))!.skuAttrs).toEqual({ color: 'grey' });
  });

  it('listSweepDue asks for the sweepable statuses due by now, oldest first, with the limit', async () => {
    const { store, last } = fresh();
    const now = addSeconds(T, 90_000);
    await store.listSweepDue(now, 25);
    expect(last('query.get')).toEqual({
      op: 'query.get',
      collection: 'gifts',
      query: { sweepStatus: { $in: [...SWEEPABLE_STATUSES] }, sweepAt: { $lte: now } },
      orderBy: [['sweepAt', 'asc']],
      limit: 25,
    });
  });

  it('listEffectsDue(handoff) queries the handoff queue field only', async () => {
    const { store, last } = fresh();
    await store.listEffectsDue('handoff', T, 10);
    expect(last('query.get')).toMatchObject({ query: { handoffDueAt: { $lte: T } }, orderBy: [['handoffDueAt', 'asc']], limit: 10 });
  });

  it('pages with limit + 1 and a strict "less than" on the unique sort key', async () => {
    const { store, last } = fresh();
    for (let i = 0; i < 3; i++) await store.insert(unpaidGift(`g_p${i}`, 'alice', addSeconds(T, i)));
    const p1 = await store.listByGiver('alice', 2);
    expect(last('query.get')).toMatchObject({ query: { giverId: 'alice' }, orderBy: [['giverSort', 'desc']], limit: 3 });
    await store.listByGiver('alice', 2, p1.cursor!);
    expect(last('query.get').query).toEqual({ giverId: 'alice', giverSort: { $lt: `${addSeconds(T, 1)}#g_p1` } });
  });

  it('keeps within the service maximum of 1000 documents per get and never sends limit 0', async () => {
    const { db, store, last } = fresh();
    await store.listSweepDue(T, 5_000);
    expect(last('query.get').limit).toBe(1000);
    await store.listByGiver('alice', 5_000);
    expect(last('query.get').limit).toBe(1000);
    const before = db.calls.length;
    expect(await store.listEffectsDue('refund', T, 0)).toEqual([]);
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
    await store.listSweepDue(T, 5);
    for (const kind of ['handoff', 'refund', 'notify'] as const) await store.listEffectsDue(kind, T, 5);
    const queries = db.calls.filter((c) => c.op === 'query.get' || c.op === 'where.update');
    expect(queries.length).toBe(7);
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
    await expect(store.insert(sentGift('g_lost_write', 'alice', T))).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('treats a failure reported in the result (setThrowOnCode(false)) as a failure, not as a version conflict', async () => {
    const db = new CloudbaseStandin();
    const real = db.collection('gifts');
    const failing: CloudbaseCollection = Object.assign(Object.create(real) as CloudbaseCollection, {
      where: () => ({ update: async () => ({ code: 'DATABASE_REQUEST_FAILED', message: 'boom' }) }),
    });
    const store = new CloudbaseGiftStore({ command: db.command, collection: () => failing }, 'gifts');
    const g = sentGift('g_code', 'alice', T);
    await expect(store.replace(bump(g, {}), g.version)).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });
});

// Against the real service only when asked: the SDK is loaded lazily here and nowhere on the offline path.
const live = Boolean(process.env.TCB_ENV);
if (!live) console.warn('CloudBase live contract run skipped: set TCB_ENV, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY to run it');

describe.skipIf(!live)('CloudBase live', () => {
  giftStoreContract(`CloudBase live (env ${process.env.TCB_ENV})`, async () => {
    const { default: tcb } = await import('@cloudbase/node-sdk');
    const app = tcb.init({ env: process.env.TCB_ENV, secretId: process.env.TENCENTCLOUD_SECRETID, secretKey: process.env.TENCENTCLOUD_SECRETKEY });
    const real = app.database();
    const name = process.env.TCB_COLLECTION ?? 'songli_gifts_test';
    await Promise.resolve(real.createCollection(name)).catch(() => undefined); // fails when it exists: fine
    // The contract's due-list checks assume no leftovers from earlier runs in their time windows.
    await real.collection(name).where({ _id: real.command.exists(true) }).remove();
    const db: CloudbaseDb = real; // tsc checks the structural type against the SDK's own
    return { store: new CloudbaseGiftStore(db, name), close: async () => undefined };
  });
});
