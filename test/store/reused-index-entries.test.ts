import { describe, expect, it } from 'vitest';
import { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import { indexEntriesReusing } from '../../shared/adapters/memory/reused-index-entries';
import type { Gift } from '../../shared/domain/gift';
import type { GiftDocument } from '../../shared/domain/gift-document';
import type { GiftRecord } from '../../shared/store/gift-store-core';
import { GIFT_INDEXES, type IndexEntries, indexEntries } from '../../shared/store/index-entries';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';
import { ADDRESS, claimedGift, makeDeps, sentGift } from '../support/memory-deps';

/** A memory store that checks every record it writes against entries built from scratch, and counts reused ones. */
class CheckedStore extends MemoryGiftStore {
  writes = 0;
  reused = 0;
  private readonly stored = new Map<string, IndexEntries>();
  protected override recordOf(gift: GiftDocument): GiftRecord {
    const record = super.recordOf(gift);
    expect(record.entries).toEqual(indexEntries(gift, this.coreOptions.timerShards, this.coreOptions));
    const before = this.stored.get(gift.id);
    for (const index of GIFT_INDEXES) if (before && record.entries[index] && record.entries[index] === before[index]) this.reused++;
    this.stored.set(gift.id, record.entries);
    this.writes++;
    return record;
  }
  entriesIn(index: (typeof GIFT_INDEXES)[number]): number {
    return [...this.stored.values()].filter((entries) => entries[index] !== null).length;
  }
}

describe('index entries reused from the stored record', () => {
  it('equal the entries built from scratch at every write of whole lifecycles, expiry and dispatch included', async () => {
    const deps = makeDeps();
    const store = new CheckedStore({ timerShards: 3 });
    deps.store = store;
    for (let n = 0; n < 3; n++) {
      const giver = `giver_${n}`;
      const friend = `friend_${n}`;
      const { gift } = await createGift(deps, { giverId: giver, body: { skuId: 'sku_scarf_blue', message: '生日快乐' } });
      const { claimToken } = await payGift(deps, giver, gift.id);
      await claimGift(deps, friend, claimToken!);
      if (n === 1) {
        await declineGift(deps, friend, claimToken!);
        continue;
      }
      await swapGiftVariant(deps, friend, claimToken!, 'sku_scarf_grey');
      if (n === 0) await acceptGift(deps, friend, claimToken!, { address: ADDRESS });
    }
    for (const kind of ['handoff', 'notify', 'refund'] as const) await dispatchDueEffects(deps, kind, { limit: 100 });
    deps.clock.advanceSeconds(30 * 24 * 3600);
    await sweepOverdueGifts(deps);
    for (const kind of ['handoff', 'notify', 'refund'] as const) await dispatchDueEffects(deps, kind, { limit: 100 });
    // Each tree holds exactly one key per stored entry: a moved entry's old key was deleted, not left behind.
    const trees = (store as unknown as { trees: Record<string, { size: number }> }).trees;
    for (const index of GIFT_INDEXES) expect(trees[index]!.size).toBe(store.entriesIn(index));
    expect(store.entriesIn('timer')).toBeGreaterThan(0);
    expect(store.writes).toBeGreaterThan(15);
    expect(store.reused).toBeGreaterThan(store.writes);
  });

  it('builds fresh entries for another gift, a moved timer, changed kinds, a new recipient', () => {
    const sent = sentGift() as Gift;
    const stored = { gift: sent, entries: indexEntries(sent, 4) };
    const other = { ...sent, id: 'g_other0000001' };
    expect(indexEntriesReusing(other, 4, {}, stored)).toEqual(indexEntries(other, 4));
    expect(indexEntriesReusing(other, 4, {}, stored).giver).not.toBe(stored.entries.giver);
    const claimed = claimedGift() as Gift;
    const fresh = indexEntries(claimed, 4);
    const reused = indexEntriesReusing(claimed, 4, {}, stored);
    expect(reused).toEqual(fresh);
    expect(reused.giver).toBe(stored.entries.giver);
    expect(reused.recipient).not.toBeNull();
    const movedGiver = { ...claimed, createdAt: '2026-11-25T00:00:00.000Z' };
    expect(indexEntriesReusing(movedGiver, 4, {}, stored)).toEqual(indexEntries(movedGiver, 4));
    const noEffects = { ...sent, effects: [] };
    expect(indexEntriesReusing(noEffects, 4, {}, stored)).toEqual(indexEntries(noEffects, 4));
    const same = indexEntriesReusing(sent, 4, {}, stored);
    for (const index of GIFT_INDEXES) expect(same[index]).toBe(stored.entries[index]);
  });
});
