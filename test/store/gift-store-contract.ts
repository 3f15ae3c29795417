/**
 * The behaviour every GiftStore engine must share: each engine's test file runs this suite against a real instance
 * (memory, LevelDB, DynamoDB on dynalite and on DynamoDB Local, CloudBase's stand-in). The rules live in one core
 * (shared/store/gift-store-core.ts), so this suite is what proves each engine implements its few calls right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashClaimToken } from '../../shared/domain/claim-token';
import type { Gift } from '../../shared/domain/gift';
import { sweep } from '../../shared/domain/gift-transitions';
import { addSeconds } from '../../shared/domain/time';
import { GiftExistsError, type GiftStore, InvalidCursorError, VersionConflictError } from '../../shared/ports/gift-store';
import { acceptedGift, claimedGift, sentGift, unpaidGift } from '../support/gift-fixtures';

export interface StoreUnderTest {
  store: GiftStore;
  close(): Promise<void>;
}

const T = '2026-11-24T08:00:00.000Z';
let seq = 0;
const uid = (p: string) => `${p}_${Date.now().toString(36)}_${++seq}`;
const bump = (g: Gift, change: Partial<Gift>): Gift => ({ ...g, ...change, version: g.version + 1 });
const ids = (gifts: { id: string }[]) => gifts.map((g) => g.id);

/** Every page of a due-query, following `next`. */
async function allDue(store: GiftStore, kind: Parameters<GiftStore['listDue']>[0], now: string, pageSize: number): Promise<Gift[]> {
  const out: Gift[] = [];
  // This suite stores 1:1 gifts only.
  let after: string | undefined;
  for (let i = 0; i < 1_000; i++) {
    const page = await store.listDue(kind, now, pageSize, after);
    out.push(...(page.items as Gift[]));
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error('listDue never ended');
}

/** Open with a store whose timer index has several shards, so queries merge shards. */
export function giftStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`GiftStore contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: GiftStore;
    beforeAll(async () => {
      sut = await open();
      store = sut.store;
    });
    afterAll(() => sut?.close());

    it('returns null for an unknown id and the same document after insert', async () => {
      expect(await store.get(uid('nope'))).toBeNull();
      const g = sentGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      expect(await store.get(g.id)).toEqual(g);
    });

    it('finds a gift by its claim hash only when the hash matches, and a wrong one reads as an unknown id', async () => {
      const g = sentGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      expect(await store.getByClaim(g.id, g.claimTokenHash!)).toEqual(g);
      expect(await store.getByClaim(g.id, hashClaimToken('wrong'))).toBeNull();
      expect(await store.getByClaim(uid('nope'), g.claimTokenHash!)).toBeNull();
      const unpaid = unpaidGift(uid('g'), uid('giver'), T);
      await store.insert(unpaid);
      expect(await store.getByClaim(unpaid.id, hashClaimToken('anything'))).toBeNull();
      // A rotated link: the old hash stops matching at once.
      const rotated = bump(g, { claimTokenHash: hashClaimToken('new') });
      await store.replace(rotated, g.version);
      expect(await store.getByClaim(g.id, g.claimTokenHash!)).toBeNull();
      expect(await store.getByClaim(g.id, hashClaimToken('new'))).toEqual(rotated);
    });

    it('refuses to insert an id twice', async () => {
      const g = unpaidGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      await expect(store.insert(g)).rejects.toBeInstanceOf(GiftExistsError);
    });

    it('replaces only when the stored version matches (compare-and-set)', async () => {
      const g = unpaidGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      const v2 = bump(g, { message: 'v2' });
      await store.replace(v2, 1);
      await expect(store.replace(bump(g, { message: 'stale' }), 1)).rejects.toBeInstanceOf(VersionConflictError);
      expect((await store.get(g.id))!.message).toBe('v2');
      await expect(store.replace({ ...g, version: 8 }, 7)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store.replace({ ...unpaidGift(uid('g'), 'x', T), version: 2 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      const g = sentGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.replace(bump(g, { message: `w${i}` }), g.version)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof VersionConflictError)).toHaveLength(19);
      expect((await store.get(g.id))!.version).toBe(g.version + 1);
    });

    it("pages a giver's gifts newest first with a cursor bound to the caller and the list", async () => {
      const giver = uid('giver');
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const g = unpaidGift(uid('g'), giver, addSeconds(T, i));
        created.push(g.id);
        await store.insert(g);
      }
      await store.insert(unpaidGift(uid('g'), uid('other'), T));
      const p1 = await store.listByGiver(giver, 2);
      const p2 = await store.listByGiver(giver, 2, p1.cursor!);
      const p3 = await store.listByGiver(giver, 2, p2.cursor!);
      expect(ids([...p1.items, ...p2.items, ...p3.items])).toEqual(created.reverse());
      expect(p3.items).toHaveLength(1);
      expect(p3.cursor).toBeNull();
      // Exactly a page full: no empty extra page.
      const exact = await store.listByGiver(giver, 5);
      expect(exact.items).toHaveLength(5);
      expect(exact.cursor).toBeNull();

      const refused = async (owner: string, cursor: string, list: 'sent' | 'received' = 'sent') => {
        const call = list === 'sent' ? store.listByGiver(owner, 2, cursor) : store.listByRecipient(owner, 2, cursor);
        await expect(call).rejects.toBeInstanceOf(InvalidCursorError);
      };
      await refused(giver, 'garbage');
      await refused(giver, '');
      await refused(giver, '.');
      await refused(uid('someone-else'), p1.cursor!); // another caller's cursor
      await refused(giver, p1.cursor!, 'received'); // another list's cursor
      const [payload, mac] = p1.cursor!.split('.');
      const edited = Buffer.from(payload!, 'base64url')
        .toString()
        .replace(/"sent"/, '"received"');
      await refused(giver, `${Buffer.from(edited).toString('base64url')}.${mac}`, 'received');
      const skEdited = Buffer.from(payload!, 'base64url').toString().replace(/T0/, 'T1');
      await refused(giver, `${Buffer.from(skEdited).toString('base64url')}.${mac}`);
      await refused(giver, `${payload}.${mac}x`);
      await refused(giver, Buffer.from(JSON.stringify({ id: 'x', giverId: giver, giverSk: 'x' })).toString('base64url'));
    });

    it("lists a recipient's claimed gifts, newest claim first", async () => {
      const friend = uid('friend');
      const a = claimedGift(uid('g'), uid('giver'), friend, T);
      const b = claimedGift(uid('g'), uid('giver'), friend, addSeconds(T, 10));
      await store.insert(a);
      await store.insert(b);
      await store.insert(sentGift(uid('g'), uid('giver'), T));
      const page = await store.listByRecipient(friend, 1);
      expect(ids(page.items)).toEqual([b.id]);
      expect(ids((await store.listByRecipient(friend, 1, page.cursor!)).items)).toEqual([a.id]);
    });

    it('returns overdue, non-terminal gifts to the cleanup, earliest deadline first, and drops them once terminal', async () => {
      // A private time window far from other tests' documents.
      const base = '2031-01-01T00:00:00.000Z';
      const overdueSent = sentGift(uid('g'), uid('giver'), base);
      const overdueClaimed = claimedGift(uid('g'), uid('giver'), uid('f'), addSeconds(base, 5));
      const overdueUnpaid = unpaidGift(uid('g'), uid('giver'), addSeconds(base, 86_400 - 1_800 + 1));
      const notYet = sentGift(uid('g'), uid('giver'), addSeconds(base, 3_600));
      const accepted = acceptedGift(uid('g'), uid('giver'), uid('f'), base);
      for (const g of [overdueSent, overdueClaimed, overdueUnpaid, notYet, accepted]) await store.insert(g);
      const at = addSeconds(base, 86_400 + 10);
      const mine = (gifts: { id: string; createdAt: string }[]) => ids(gifts.filter((g) => g.createdAt.startsWith('2031')));
      // The claimed gift's notice (due at its claim) makes its timer earlier than its deadline.
      expect(mine(await allDue(store, 'sweep', at, 100))).toEqual([overdueClaimed.id, overdueSent.id, overdueUnpaid.id]);

      const swept = sweep(overdueSent, at);
      await store.replace(swept, overdueSent.version);
      expect(mine(await allDue(store, 'sweep', at, 100))).toEqual([overdueClaimed.id, overdueUnpaid.id]);
      // The swept gift now waits for its refund and notice instead.
      expect(mine(await allDue(store, 'refund', at, 100))).toEqual([overdueSent.id]);
      expect((await store.listDue('sweep', at, 1)).items).toHaveLength(1);
    });

    it('pages due gifts across shards with `next`, each exactly once, when hundreds share one deadline', async () => {
      const base = '2033-01-01T00:00:00.000Z';
      const want = new Set<string>();
      const gifts = Array.from({ length: 600 }, () => sentGift(uid('g'), uid('giver'), base));
      for (const g of gifts) want.add(g.id);
      for (let i = 0; i < gifts.length; i += 50) await Promise.all(gifts.slice(i, i + 50).map((g) => store.insert(g)));
      const due = (await allDue(store, 'sweep', addSeconds(base, 86_400), 70)).filter((g) => g.createdAt === base);
      expect(due).toHaveLength(600);
      expect(new Set(ids(due))).toEqual(want);
      const one = (await store.listDue('sweep', addSeconds(base, 86_400), 1000)).items.filter((g) => g.createdAt === base);
      expect(one).toHaveLength(600);
    }, 120_000);

    it('returns gifts with a pending effect of the asked kind once it is due, and drops them once it settles', async () => {
      const base = '2032-01-01T00:00:00.000Z';
      const accepted = acceptedGift(uid('g'), uid('giver'), uid('f'), base);
      await store.insert(accepted);
      const dueAt = addSeconds(base, 3_600);
      expect(ids((await store.listDue('handoff', dueAt, 100)).items)).toContain(accepted.id);
      expect(ids((await store.listDue('refund', dueAt, 100)).items)).not.toContain(accepted.id);
      expect(ids((await store.listDue('sweep', dueAt, 100)).items)).not.toContain(accepted.id);
      expect(ids((await store.listDue('handoff', '2031-12-31T00:00:00.000Z', 100)).items)).not.toContain(accepted.id);

      const settled = bump(accepted, {
        effects: accepted.effects.map((e) => (e.kind === 'handoff' ? { ...e, status: 'done' as const } : e)),
      });
      await store.replace(settled, accepted.version);
      expect(ids((await store.listDue('handoff', dueAt, 100)).items)).not.toContain(accepted.id);
      expect(ids((await store.listDue('notify', dueAt, 100)).items)).toContain(accepted.id);

      const quiet = bump(settled, { effects: settled.effects.map((e) => ({ ...e, status: 'done' as const })) });
      await store.replace(quiet, settled.version);
      for (const kind of ['handoff', 'refund', 'notify', 'sweep'] as const) {
        expect(ids((await store.listDue(kind, '2040-01-01T00:00:00.000Z', 1000)).items)).not.toContain(accepted.id);
      }
    });
  });
}
