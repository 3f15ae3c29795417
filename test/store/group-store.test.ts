/**
 * The group-store contract (unit slots, claim markers, lottery entries, draw lists) on every engine: memory, LevelDB,
 * DynamoDB on dynalite and on DynamoDB Local, CloudBase (stand-in of the SDK collection API). Includes the real race
 * of docs/group-gifts.md: 1,000 concurrent claim attempts on 10 slots, through claimGroupUnit, on each engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudbaseDb } from '../../shared/adapters/cloudbase/cloudbase-db';
import { CloudbaseGroupStore } from '../../shared/adapters/cloudbase/cloudbase-group-store';
import { DynamoDbGroupStore } from '../../shared/adapters/dynamodb/dynamodb-group-store';
import { ensurePartsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { LevelDbGroupStore } from '../../shared/adapters/leveldb/leveldb-group-store';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { MemoryGroupStore } from '../../shared/adapters/memory/memory-group-store';
import { AppError } from '../../shared/domain/errors';
import type { EffectKind } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { newClaimMarker } from '../../shared/domain/group-claim';
import type { GroupOrder } from '../../shared/domain/group-order';
import { acceptUnit, declineUnit, expireUnit, type GroupUnit, setUnitAddress, takeUnit } from '../../shared/domain/group-units';
import { drawList, enterLottery, type LotteryEntry } from '../../shared/domain/lottery-draw';
import { addSeconds } from '../../shared/domain/time';
import { InvalidCursorError, StoreUnavailableError, VersionConflictError } from '../../shared/ports/gift-store';
import type { GroupStore } from '../../shared/ports/group-store';
import { UNIT_TIMER_SHARDS } from '../../shared/store/group-store-core';
import { timerShardOf } from '../../shared/store/index-entries';
import { claimGroupUnit } from '../../shared/use-cases/claim-group-unit';
import { CloudbaseStandin } from '../support/cloudbase-standin';
import { type DynamoDbLocal, startDynamoDbLocal } from '../support/dynamodb-local';
import { paidOrder, testBytes } from '../support/group-fixtures';
import { tempDataDir } from '../support/http-harness';
import { ADDRESS, T0 } from '../support/memory-deps';

const tmp = tempDataDir();
const closers: Array<() => Promise<void>> = [];
let java: Promise<DynamoDbLocal> | undefined;
afterAll(async () => {
  for (const c of closers) await c();
  if (java) await (await java.catch(() => null))?.close();
  tmp.remove();
});

/** Two handles on one store, as two function instances have. */
type Engine = [GroupStore, GroupStore];

let n = 0;
const engines: Array<[string, () => Promise<Engine>]> = [
  [
    'memory',
    async () => {
      const s = new MemoryGroupStore();
      return [s, s];
    },
  ],
  [
    'LevelDB (on disk)',
    async () => {
      const db = await openLevelDb(`${tmp.dir}/group-${++n}`);
      closers.push(() => db.close());
      return [new LevelDbGroupStore(db), new LevelDbGroupStore(db)];
    },
  ],
  [
    'DynamoDB on dynalite',
    async () => {
      const d = await startEmbeddedDynamo();
      closers.push(d.close);
      await ensurePartsTable(d.client, 'parts');
      return [new DynamoDbGroupStore(d.client, 'parts'), new DynamoDbGroupStore(d.client, 'parts')];
    },
  ],
  [
    'DynamoDB on DynamoDB Local',
    async () => {
      java ??= startDynamoDbLocal();
      const { client } = await java;
      const table = `parts-${++n}`;
      await ensurePartsTable(client, table);
      return [new DynamoDbGroupStore(client, table), new DynamoDbGroupStore(client, table)];
    },
  ],
  [
    'CloudBase (in-process stand-in of the SDK collection API)',
    async () => {
      const db = new CloudbaseStandin();
      return [new CloudbaseGroupStore(db), new CloudbaseGroupStore(db)];
    },
  ],
];

const REMIND = DEFAULT_GIFT_POLICY.reminderBeforeExpirySeconds;
let orders = 0;
/** A fresh order id per test, and one that is a prefix of another, so a partition query that bleeds shows. */
const order = (opts: Parameters<typeof paidOrder>[0] = {}): GroupOrder =>
  paidOrder({ id: `g_store${String(++orders).padStart(9, '0')}`, ...opts });
const entryOf = (o: GroupOrder, userId: string): LotteryEntry => enterLottery(o, null, userId, testBytes(`salt:${userId}`, 16), T0).entry;
const minutes = (m: number) => addSeconds(T0, m * 60);
/** A dispatcher's write: the pending effects (of one kind, or all) done. */
const settled = (u: GroupUnit, at: string, kind?: EffectKind): GroupUnit => ({
  ...u,
  version: u.version + 1,
  updatedAt: at,
  effects: u.effects.map((e) =>
    e.status === 'pending' && (!kind || e.kind === kind) ? { ...e, status: 'done' as const, completedAt: at } : e,
  ),
});
/** A failed attempt: every pending effect is tried again at `next`. */
const retriedAt = (u: GroupUnit, next: string): GroupUnit => ({
  ...u,
  version: u.version + 1,
  effects: u.effects.map((e) => (e.status === 'pending' ? { ...e, attempts: e.attempts + 1, nextAttemptAt: next } : e)),
});
/** Every page of listDueUnits, alternating handles; the ids in the order returned. */
async function allDue(stores: Engine, kind: EffectKind, now: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await stores[pages % 2]!.listDueUnits(kind, now, limit, after);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((u) => u.id));
    pages++;
    if (page.next === null) return { ids, pages };
    after = page.next;
  }
}
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof AppError ? e.code : e),
  );

describe.each(engines)('GroupStore: %s', (_name, open) => {
  it('takes a free slot by conditional insert, once; lists the units of its order only; compares and sets later changes', async () => {
    const [a, b] = await open();
    const o = order({ quantity: 3 });
    const neighbour = { ...o, id: `${o.id}9` }; // shares a prefix with o's id
    expect(await a.listUnits(o.id)).toEqual(new Map());
    expect(await a.getUnit(o.id, 1)).toBeNull();

    const bob = takeUnit(o, 1, 'bob', T0, REMIND);
    expect(await a.insertUnit(bob)).toBe(true);
    expect(await b.insertUnit(takeUnit(o, 1, 'carol', T0, REMIND))).toBe(false); // taken a moment ago
    expect(await a.insertUnit(takeUnit(neighbour, 1, 'dan', T0, REMIND))).toBe(true);
    expect(await b.getUnit(o.id, 1)).toEqual(bob);
    expect(await b.listUnits(o.id)).toEqual(new Map([[1, bob]]));

    const withAddress = setUnitAddress(o, bob, 'bob', ADDRESS, T0);
    await b.replaceUnit(withAddress, 1);
    await expect(a.replaceUnit(setUnitAddress(o, bob, 'bob', { ...ADDRESS, detail: '旧地址' }, T0), 1)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    const accepted = acceptUnit(o, withAddress, 'bob', T0);
    await a.replaceUnit(accepted, 2);
    expect(await b.getUnit(o.id, 1)).toEqual(accepted);
    await expect(a.replaceUnit(accepted, 2)).rejects.toBeInstanceOf(VersionConflictError); // a replay
    await expect(a.replaceUnit(accepted, 1)).rejects.toThrow(/bump the version/); // a programming error, not a conflict
    await expect(a.insertUnit(accepted)).rejects.toThrow(/version 1/);
  });

  it('lists units with a due effect of one kind, earliest first, across orders and timer shards, a page at a time', async () => {
    const [a, b] = await open();
    const os = Array.from({ length: 12 }, () => order({ quantity: 3 }));
    // Accepted out of id order, so the index order (due time) differs from the order of writes and of ids.
    const acceptedAt = [7, 3, 11, 0, 5, 9, 1, 10, 4, 8, 2, 6].map((m) => minutes(m + 1));
    const accepted = await Promise.all(
      os.map(async (o, i) => {
        const taken = takeUnit(o, 0, `r${i}`, T0, REMIND);
        expect(await a.insertUnit(taken)).toBe(true);
        await a.insertMarker(newClaimMarker(o, `r${i}`, 0, T0));
        const withAddress = setUnitAddress(o, taken, `r${i}`, ADDRESS, T0);
        await b.replaceUnit(withAddress, 1);
        const done = acceptUnit(o, withAddress, `r${i}`, acceptedAt[i]!);
        await a.replaceUnit(done, 2);
        return done;
      }),
    );
    const byDue = [...accepted].sort((x, y) => (x.acceptedAt! < y.acceptedAt! ? -1 : 1)).map((u) => u.id);
    expect(new Set(accepted.map((u) => timerShardOf(u.id, UNIT_TIMER_SHARDS))).size).toBeGreaterThan(1); // a real merge
    // Units waiting for the recipient's reminder only; a declined one and a closed slot wait for nothing.
    const claimed = takeUnit(os[0]!, 1, 'waiting', T0, REMIND);
    await b.insertUnit(claimed);
    const declined = takeUnit(os[1]!, 1, 'no-thanks', T0, REMIND);
    await b.insertUnit(declined);
    await a.replaceUnit(declineUnit(os[1]!, declined, 'no-thanks', minutes(2)), 1);
    await a.insertUnit(expireUnit(os[2]!, 2, null, os[2]!.expiresAt!));
    // Parts that are not units never appear: lottery entries and a frozen draw list.
    const lottery = order({ mode: 'lottery', quantity: 2 });
    const entries = ['x', 'y', 'z'].map((p) => entryOf(lottery, p));
    await Promise.all(entries.map((e) => b.insertEntry(e)));
    await b.insertDrawChunks(drawList(lottery, entries, 2));

    const late = minutes(60);
    expect((await a.listDueUnits('handoff', late, 100)).items.map((u) => u.id)).toEqual(byDue);
    expect((await b.listDueUnits('handoff', late, 100)).next).toBeNull();
    expect((await b.listDueUnits('handoff', late, 100)).items[0]).toEqual(accepted.find((u) => u.id === byDue[0]));
    // Due at or before now: the fifth is due exactly now, the sixth a minute later.
    expect((await b.listDueUnits('handoff', minutes(5), 100)).items.map((u) => u.id)).toEqual(byDue.slice(0, 5));
    expect((await b.listDueUnits('handoff', minutes(0), 100)).items).toEqual([]);
    expect((await a.listDueUnits('refund', addSeconds(late, 86_400 * 30), 100)).items).toEqual([]);
    expect((await a.listDueUnits('sweep', addSeconds(late, 86_400 * 30), 100)).items).toEqual([]);
    // Notices are due with the handoffs; the reminder of the unit still claimed comes later, behind them.
    expect((await a.listDueUnits('notify', late, 100)).items.map((u) => u.id)).toEqual(byDue);
    const reminderDue = claimed.effects[0]!.nextAttemptAt;
    expect(reminderDue > late).toBe(true);
    expect((await a.listDueUnits('notify', reminderDue, 100)).items.map((u) => u.id)).toEqual([...byDue, claimed.id]);

    // Pages of 5 (then of 4: the last one is full and ends with an empty page) give the same list once each.
    const paged = await allDue([a, b], 'handoff', late, 5);
    expect(paged).toEqual({ ids: byDue, pages: 3 });
    expect(await allDue([b, a], 'handoff', late, 4)).toEqual({ ids: byDue, pages: 4 });
    expect((await a.listDueUnits('handoff', late, 0)).items).toEqual([]);
  });

  it('moves a unit in the timer index when it is rewritten, and drops it once its effects settle', async () => {
    const [a, b] = await open();
    const os = Array.from({ length: 5 }, () => order({ quantity: 2 }));
    const units = await Promise.all(
      os.map(async (o, i) => {
        const taken = takeUnit(o, 0, `p${i}`, T0, REMIND);
        await a.insertUnit(taken);
        const withAddress = setUnitAddress(o, taken, `p${i}`, ADDRESS, T0);
        await a.replaceUnit(withAddress, 1);
        const done = acceptUnit(o, withAddress, `p${i}`, minutes(i + 1));
        await b.replaceUnit(done, 2);
        return done;
      }),
    );
    const ids = units.map((u) => u.id);
    const late = minutes(30);
    expect((await a.listDueUnits('handoff', late, 10)).items.map((u) => u.id)).toEqual(ids);

    // The first unit's attempts failed and are retried at minute 20: due later, listed once, in its new place.
    const retried = retriedAt(units[0]!, minutes(20));
    await a.replaceUnit(retried, 3);
    expect((await b.listDueUnits('handoff', minutes(10), 10)).items.map((u) => u.id)).toEqual(ids.slice(1));
    expect((await b.listDueUnits('notify', minutes(10), 10)).items.map((u) => u.id)).toEqual(ids.slice(1));
    const after = await b.listDueUnits('handoff', late, 10);
    expect(after.items.map((u) => u.id)).toEqual([...ids.slice(1), ids[0]]);
    expect(after.items[4]).toEqual(retried); // the current document

    // The second unit's handoff is done: gone from the handoffs, still waiting for its notice (due at minute 2).
    await b.replaceUnit(settled(units[1]!, minutes(3), 'handoff'), 3);
    expect((await a.listDueUnits('handoff', late, 10)).items.map((u) => u.id)).toEqual([ids[2], ids[3], ids[4], ids[0]]);
    expect((await a.listDueUnits('notify', late, 10)).items.map((u) => u.id)).toEqual([ids[1], ids[2], ids[3], ids[4], ids[0]]);
    // Every effect of the second and third settled: they leave the index altogether.
    await a.replaceUnit(settled((await b.getUnit(os[1]!.id, 0))!, minutes(4)), 4);
    await a.replaceUnit(settled(units[2]!, minutes(4)), 3);
    const far = addSeconds(late, 86_400 * 30);
    expect((await b.listDueUnits('handoff', far, 10)).items.map((u) => u.id)).toEqual([ids[3], ids[4], ids[0]]);
    expect((await b.listDueUnits('notify', far, 10)).items.map((u) => u.id)).toEqual([ids[3], ids[4], ids[0]]);
    // A lost compare-and-set moves nothing.
    const stale = { ...retriedAt(units[3]!, minutes(25)), version: 3 };
    await expect(a.replaceUnit(stale, 2)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await b.listDueUnits('handoff', minutes(10), 10)).items.map((u) => u.id)).toEqual([ids[3], ids[4]]);
  });

  it('closes an untaken slot with an insert-if-absent that a claim of the same slot cannot also win', async () => {
    const [a, b] = await open();
    const o = order({ quantity: 2 });
    const late = o.expiresAt!;
    const results = await Promise.all([
      a.insertUnit(expireUnit(o, 0, null, late)),
      b.insertUnit(takeUnit(o, 0, 'erin', T0, REMIND)),
      a.insertUnit(expireUnit(o, 1, null, late)),
    ]);
    expect(results[0] !== results[1]).toBe(true); // exactly one of the two writes of slot 0 landed
    expect(results[2]).toBe(true);
    const units = await b.listUnits(o.id);
    expect([...units.keys()].sort()).toEqual([0, 1]);
    expect(units.get(1)).toMatchObject({ status: 'expired', recipientId: null, version: 1 });
    expect(units.get(0)?.status).toBe(results[0] ? 'expired' : 'claimed');
  });

  it('keeps one claim marker per person: a second insert reads back the first', async () => {
    const [a, b] = await open();
    const o = order();
    expect(await a.getMarker(o.id, 'bob')).toBeNull();
    const first = newClaimMarker(o, 'bob', 2, T0);
    expect(await a.insertMarker(first)).toEqual(first);
    expect(await b.insertMarker(newClaimMarker(o, 'bob', 0, T0))).toEqual(first);
    expect(await b.getMarker(o.id, 'bob')).toEqual(first);
    expect(await b.getMarker(o.id, 'carol')).toBeNull();
    expect(await b.listUnits(o.id)).toEqual(new Map()); // markers are not units
  });

  it('inserts a lottery entry once, reads a repeat back, and pages every entry of the order', async () => {
    const [a, b] = await open();
    const o = order({ mode: 'lottery', quantity: 3 });
    const other = order({ mode: 'lottery' });
    const people = Array.from({ length: 23 }, (_, i) => `user-${i}-用户`);
    const first = entryOf(o, people[0]!);
    expect(await a.insertEntry(first)).toEqual({ entry: first, created: true });
    const again = enterLottery(o, null, people[0]!, testBytes('another salt', 16), T0).entry;
    expect(await b.insertEntry(again)).toEqual({ entry: first, created: false });
    expect(await b.getEntry(o.id, people[0]!)).toEqual(first);
    expect(await b.getEntry(o.id, 'nobody')).toBeNull();
    await Promise.all(people.slice(1).map((p, i) => (i % 2 ? a : b).insertEntry(entryOf(o, p))));
    await a.insertEntry(entryOf(other, 'outsider'));

    const seen: LotteryEntry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await (pages % 2 ? a : b).listEntries(o.id, 5, cursor);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      cursor = page.cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(seen.map((e) => e.userId).sort()).toEqual([...people].sort());
    expect(seen.find((e) => e.userId === people[0])).toEqual(first);
    expect((await a.listEntries(o.id, 1_000)).items).toHaveLength(people.length);
    expect((await a.listEntries(`${o.id}x`, 10)).items).toEqual([]);
    await expect(a.listEntries(o.id, 5, 'not-a-cursor')).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('lets concurrent entrants (double taps included) each in exactly once, and lists them all', async () => {
    const [a, b] = await open();
    const o = order({ mode: 'lottery', quantity: 5 });
    const attempts = Array.from({ length: 400 }, (_, i) => `entrant-${i % 300}`);
    const started = performance.now();
    const results = await Promise.all(attempts.map((who, i) => (i % 2 ? a : b).insertEntry(entryOf(o, who))));
    console.log(`${_name}: 400 entry attempts in ${Math.round(performance.now() - started)} ms`);
    expect(results.filter((r) => r.created)).toHaveLength(300);
    const listed = (await a.listEntries(o.id, 1_000)).items;
    expect(new Set(listed.map((e) => e.userId)).size).toBe(300);
    expect(listed).toHaveLength(300);
  }, 60_000);

  it('freezes a draw list in chunks; writing the same list again keeps it', async () => {
    const [a, b] = await open();
    const o = order({ mode: 'lottery', quantity: 2 });
    const entries = Array.from({ length: 7 }, (_, i) => entryOf(o, `e${i}`));
    const chunks = drawList(o, entries, 3);
    expect(chunks).toHaveLength(3);
    expect(await a.listDrawChunks(o.id, chunks[0]!.entrantsDigest)).toEqual([]);
    await a.insertDrawChunks(chunks);
    await b.insertDrawChunks(chunks); // a retried draw
    expect(await b.listDrawChunks(o.id, chunks[0]!.entrantsDigest)).toEqual(chunks);
    expect(await b.listDrawChunks(o.id, drawList(o, entries.slice(1), 3)[0]!.entrantsDigest)).toEqual([]);
    expect(await b.listUnits(o.id)).toEqual(new Map());
  });

  it('adopts the unit of a request that died between its two writes, and answers a repeat from the marker', async () => {
    const [a, b] = await open();
    const o = order({ quantity: 3 });
    const orphan = takeUnit(o, 2, 'frank', T0, REMIND);
    expect(await a.insertUnit(orphan)).toBe(true); // and then the request died: no marker
    expect(await b.getMarker(o.id, 'frank')).toBeNull();
    expect(await claimGroupUnit(b, o, 'frank', T0, REMIND)).toEqual({ unitNo: 2, took: false });
    expect(await a.getMarker(o.id, 'frank')).toMatchObject({ unitNo: 2 });
    expect((await a.listUnits(o.id)).size).toBe(1); // no second unit for frank
    const grace = await claimGroupUnit(a, o, 'grace', T0, REMIND);
    expect(grace.took).toBe(true);
    expect(await claimGroupUnit(b, o, 'grace', T0, REMIND)).toEqual({ unitNo: grace.unitNo, took: false });
    expect(await codeOf(claimGroupUnit(a, o, o.giverId, T0, REMIND))).toBe('CANNOT_CLAIM_OWN_GIFT');
  });

  it('gives 10 slots to exactly 10 people out of 1,000 concurrent claim attempts, one marker each', async () => {
    const [a, b] = await open();
    const o = order({ quantity: 10 });
    // 700 people; 300 of them send two requests at once (a double tap), so the race also tests one unit per person.
    const attempts = Array.from({ length: 1_000 }, (_, i) => `p${i % 700}`);
    const started = performance.now();
    const outcomes = await Promise.all(
      attempts.map((who, i) =>
        claimGroupUnit(i % 2 ? a : b, o, who, T0, REMIND).then(
          (r) => ({ who, unitNo: r.unitNo, took: r.took }),
          async (e: unknown) => ({ who, error: await codeOf(Promise.reject(e)) }),
        ),
      ),
    );
    console.log(`${_name}: 1,000 claim attempts over 10 slots in ${Math.round(performance.now() - started)} ms`);

    const units = await a.listUnits(o.id);
    expect([...units.keys()].sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    const owners = [...units.values()].map((u) => u.recipientId!);
    expect(new Set(owners).size).toBe(10);
    for (const u of units.values()) expect(await b.getMarker(o.id, u.recipientId!)).toMatchObject({ unitNo: u.unitNo });
    const won = outcomes.filter((r) => 'unitNo' in r);
    expect(won.filter((r) => 'took' in r && r.took)).toHaveLength(10);
    for (const r of won) expect(units.get((r as { unitNo: number }).unitNo)?.recipientId).toBe(r.who);
    for (const r of outcomes.filter((r) => 'error' in r)) expect((r as { error: unknown }).error).toBe('ALL_CLAIMED');
    const losers = [...new Set(attempts)].filter((p) => !owners.includes(p));
    const losersMarkers = await Promise.all(losers.map((p) => a.getMarker(o.id, p)));
    expect(losersMarkers.filter((m) => m !== null)).toEqual([]);
    // After the sell-out a claim answers ALL_CLAIMED; a winner's repeat answers their unit.
    expect(await codeOf(claimGroupUnit(a, o, 'late-comer', T0, REMIND))).toBe('ALL_CLAIMED');
    expect(await claimGroupUnit(b, o, units.get(3)!.recipientId!, T0, REMIND)).toEqual({ unitNo: 3, took: false });
  }, 120_000);
});

/** A CloudBase whose add lands but whose reply is lost (a timeout): the store cannot know whether it wrote. */
function lossyCloudbase(loseEvery: number): CloudbaseDb {
  const db = new CloudbaseStandin();
  let adds = 0;
  return {
    command: db.command,
    collection(name) {
      const c = db.collection(name);
      return Object.assign(Object.create(c) as typeof c, {
        async add(data: Record<string, unknown>) {
          const res = await c.add(data);
          if (++adds % loseEvery === 0) throw Object.assign(new Error('ESOCKETTIMEDOUT'), { code: 'ESOCKETTIMEDOUT' });
          return res;
        },
      });
    },
  };
}

describe('GroupStore: LevelDB beside the gifts', () => {
  it('keeps its parts out of the gift store on the same database, through a layout upgrade too', async () => {
    const db = await openLevelDb(`${tmp.dir}/group-beside-gifts`);
    closers.push(() => db.close());
    const parts = new LevelDbGroupStore(db);
    const o = order({ quantity: 2 });
    await parts.insertUnit(takeUnit(o, 0, 'bob', T0, REMIND));
    await parts.insertMarker(newClaimMarker(o, 'bob', 0, T0));
    const gifts = new LevelDbGiftStore(db);
    await gifts.upgradeLayout();
    expect(await gifts.get(o.id)).toBeNull();
    for (const kind of ['sweep', 'handoff', 'refund', 'notify'] as const)
      expect((await gifts.listDue(kind, o.expiresAt!, 10)).items).toEqual([]);
    expect((await parts.listUnits(o.id)).get(0)?.recipientId).toBe('bob');
  });
});

describe('GroupStore: LevelDB records written before the unit timer index', () => {
  it('reads them, and indexes them from their next write on', async () => {
    const db = await openLevelDb(`${tmp.dir}/group-before-timers`);
    closers.push(() => db.close());
    const o = order({ quantity: 2 });
    const taken = takeUnit(o, 0, 'bob', T0, REMIND);
    // The earlier layout: "<version>\n<document JSON>", no timer key line.
    await db.put(`part\u0000${encodeURIComponent(o.id)}\u0000u#000`, `1\n${JSON.stringify(taken)}`);
    const store = new LevelDbGroupStore(db);
    expect(await store.getUnit(o.id, 0)).toEqual(taken);
    expect((await store.listDueUnits('notify', addSeconds(T0, 86_400), 10)).items).toEqual([]);
    const withAddress = setUnitAddress(o, taken, 'bob', ADDRESS, T0);
    await store.replaceUnit(withAddress, 1);
    const accepted = acceptUnit(o, withAddress, 'bob', minutes(1));
    await store.replaceUnit(accepted, 2);
    expect((await store.listDueUnits('handoff', minutes(1), 10)).items).toEqual([accepted]);
    await store.replaceUnit(settled(accepted, minutes(2)), 3);
    expect((await store.listDueUnits('notify', addSeconds(T0, 86_400), 10)).items).toEqual([]);
  });
});

describe('GroupStore: CloudBase when replies are lost or the service fails', () => {
  it('settles an unsure insert by reading it back: still one unit per person, each with its marker', async () => {
    const store = new CloudbaseGroupStore(lossyCloudbase(3));
    const o = order({ quantity: 10 });
    const people = Array.from({ length: 200 }, (_, i) => `lossy-${i}`);
    const outcomes = await Promise.all(people.map((p) => claimGroupUnit(store, o, p, T0, REMIND).catch((e: unknown) => e)));
    const units = await store.listUnits(o.id);
    expect(units.size).toBe(10);
    const owners = [...units.values()].map((u) => u.recipientId!);
    expect(new Set(owners).size).toBe(10);
    for (const u of units.values()) expect(await store.getMarker(o.id, u.recipientId!)).toMatchObject({ unitNo: u.unitNo });
    const unitOf = new Map([...units.values()].map((u) => [u.recipientId!, u.unitNo]));
    for (const [i, r] of outcomes.entries()) {
      const mine = unitOf.get(people[i]!);
      if (mine === undefined) expect(r instanceof AppError ? r.code : r).toBe('ALL_CLAIMED');
      else expect(r).toMatchObject({ unitNo: mine });
    }
  });

  it('reports any other engine failure as the store being unavailable', async () => {
    const failing = new CloudbaseGroupStore({
      command: new CloudbaseStandin().command,
      collection: () =>
        ({
          doc: () => ({ get: () => Promise.reject(new Error('ECONNRESET')) }),
          add: () => Promise.reject(new Error('ECONNRESET')),
          where: () => ({ orderBy: () => ({ limit: () => ({ get: () => Promise.reject(new Error('ECONNRESET')) }) }) }),
        }) as unknown as ReturnType<CloudbaseDb['collection']>,
    });
    const o = order();
    await expect(failing.getMarker(o.id, 'bob')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failing.listUnits(o.id)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failing.insertUnit(takeUnit(o, 0, 'bob', T0, REMIND))).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
