/**
 * The behaviour every GiftStore adapter must share. Each adapter's test file runs this suite against a
 * real instance (memory, DynamoDB on dynalite, ...).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GiftExistsError, VersionConflictError } from '../../shared/domain/errors';
import type { Gift } from '../../shared/domain/gift';
import { sweep } from '../../shared/domain/gift-transitions';
import { addSeconds } from '../../shared/domain/time';
import type { GiftStore } from '../../shared/ports/gift-store';
import { acceptedGift, claimedGift, sentGift, unpaidGift } from '../support/gift-fixtures';

export interface StoreUnderTest {
  store: GiftStore;
  close(): Promise<void>;
}

const T = '2026-11-24T08:00:00.000Z';
let seq = 0;
const uid = (p: string) => `${p}_${Date.now().toString(36)}_${++seq}`;
const bump = (g: Gift, change: Partial<Gift>): Gift => ({ ...g, ...change, version: g.version + 1 });

export function giftStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`GiftStore contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: GiftStore;
    beforeAll(async () => {
      sut = await open();
      store = sut.store;
    });
    afterAll(() => sut.close());

    it('returns null for an unknown id and the same document after insert', async () => {
      expect(await store.get(uid('nope'))).toBeNull();
      const g = sentGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      expect(await store.get(g.id)).toEqual(g);
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
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      const g = sentGift(uid('g'), uid('giver'), T);
      await store.insert(g);
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.replace(bump(g, { message: `w${i}` }), g.version)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof VersionConflictError)).toHaveLength(19);
      expect((await store.get(g.id))!.version).toBe(g.version + 1);
    });

    it('pages a giver\'s gifts newest first with an opaque cursor', async () => {
      const giver = uid('giver');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const g = unpaidGift(uid('g'), giver, addSeconds(T, i));
        ids.push(g.id);
        await store.insert(g);
      }
      await store.insert(unpaidGift(uid('g'), uid('other'), T));
      const p1 = await store.listByGiver(giver, 2);
      const p2 = await store.listByGiver(giver, 2, p1.cursor!);
      const p3 = await store.listByGiver(giver, 2, p2.cursor!);
      expect([...p1.items, ...p2.items, ...p3.items].map((g) => g.id)).toEqual(ids.reverse());
      expect(p3.items).toHaveLength(1);
      expect(p3.cursor).toBeNull();
      await expect(store.listByGiver(giver, 2, 'garbage')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('lists a recipient\'s claimed gifts', async () => {
      const friend = uid('friend');
      const a = claimedGift(uid('g'), uid('giver'), friend, T);
      const b = claimedGift(uid('g'), uid('giver'), friend, addSeconds(T, 10));
      await store.insert(a);
      await store.insert(b);
      await store.insert(sentGift(uid('g'), uid('giver'), T));
      expect((await store.listByRecipient(friend, 10)).items.map((g) => g.id)).toEqual([b.id, a.id]);
    });

    it('returns only overdue, non-terminal gifts to the cleanup, oldest deadline first', async () => {
      // A private time window far from other tests' documents.
      const base = '2031-01-01T00:00:00.000Z';
      const overdueSent = sentGift(uid('g'), uid('giver'), base);
      const overdueClaimed = claimedGift(uid('g'), uid('giver'), uid('f'), addSeconds(base, 5));
      const overdueUnpaid = unpaidGift(uid('g'), uid('giver'), addSeconds(base, 86_400 - 1_800 + 1));
      const notYet = sentGift(uid('g'), uid('giver'), addSeconds(base, 3_600));
      const accepted = acceptedGift(uid('g'), uid('giver'), uid('f'), base);
      for (const g of [overdueSent, overdueClaimed, overdueUnpaid, notYet, accepted]) await store.insert(g);
      const at = addSeconds(base, 86_400 + 10);
      const due = (await store.listSweepDue(at, 100)).filter((g) => g.createdAt.startsWith('2031'));
      // deadlines: sent +86400 s, unpaid +86401 s (payment window), claimed +86405 s
      expect(due.map((g) => g.id)).toEqual([overdueSent.id, overdueUnpaid.id, overdueClaimed.id]);

      // Once swept (terminal), a gift leaves the cleanup index.
      const swept = sweep(overdueSent, at);
      await store.replace(swept, overdueSent.version);
      const after = (await store.listSweepDue(at, 100)).filter((g) => g.createdAt.startsWith('2031'));
      expect(after.map((g) => g.id)).toEqual([overdueUnpaid.id, overdueClaimed.id]);
      expect((await store.listSweepDue(at, 1)).length).toBe(1);
    });

    it('returns every due gift when hundreds share one deadline (more than one page of results)', async () => {
      const base = '2033-01-01T00:00:00.000Z';
      const ids = new Set<string>();
      const gifts = Array.from({ length: 900 }, () => sentGift(uid('g'), uid('giver'), base));
      for (let i = 0; i < gifts.length; i += 50) await Promise.all(gifts.slice(i, i + 50).map((g) => (ids.add(g.id), store.insert(g))));
      const due = (await store.listSweepDue(addSeconds(base, 86_400), 1000)).filter((g) => g.createdAt === base);
      expect(due).toHaveLength(900);
      expect(new Set(due.map((g) => g.id))).toEqual(ids);
    }, 60_000);

    it('returns gifts with a due effect of the asked kind, and drops them once the effect settles', async () => {
      const base = '2032-01-01T00:00:00.000Z';
      const accepted = acceptedGift(uid('g'), uid('giver'), uid('f'), base);
      await store.insert(accepted);
      const dueAt = addSeconds(base, 3_600);
      const handoffs = (await store.listEffectsDue('handoff', dueAt, 100)).map((g) => g.id);
      expect(handoffs).toContain(accepted.id);
      expect((await store.listEffectsDue('refund', dueAt, 100)).map((g) => g.id)).not.toContain(accepted.id);
      expect((await store.listEffectsDue('handoff', '2031-12-31T00:00:00.000Z', 100)).map((g) => g.id)).not.toContain(accepted.id);

      const settled = bump(accepted, { effects: accepted.effects.map((e) => (e.kind === 'handoff' ? { ...e, status: 'done' as const } : e)) });
      await store.replace(settled, accepted.version);
      expect((await store.listEffectsDue('handoff', dueAt, 100)).map((g) => g.id)).not.toContain(accepted.id);
      expect((await store.listEffectsDue('notify', dueAt, 100)).map((g) => g.id)).toContain(accepted.id);
    });
  });
}
