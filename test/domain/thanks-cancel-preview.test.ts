/** Issue 12's domain rules: the recipient's one note of thanks, the giver's cancel, the giver's name and the preview. */
import { describe, expect, it } from 'vitest';
import type { Gift } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { accept, cancelByGiver, decline, newGift, sendThanks, sweep } from '../../shared/domain/gift-transitions';
import { claimView, giverView, previewView, receivedView } from '../../shared/domain/gift-views';
import {
  addressedGift,
  at,
  claimedGift,
  codeOf,
  GIFT_ID,
  GIVER,
  RECIPIENT,
  STRANGER,
  scarf,
  sentGift,
  T0,
  unpaidGift,
} from '../support/memory-deps';

const accepted = (): Gift => accept(addressedGift(), RECIPIENT, at(10));

describe('sendThanks', () => {
  it('keeps the note on an accepted gift and records one notice to the giver in the same write', () => {
    const before = accepted();
    const after = sendThanks(before, RECIPIENT, '谢谢你！\n很喜欢', at(20));
    expect(after.version).toBe(before.version + 1);
    expect(after.thanks).toEqual({ message: '谢谢你！\n很喜欢', sentAt: at(20) });
    const notices = after.effects.filter((e) => e.kind === 'notify' && e.event === 'gift_thanked');
    expect(notices).toEqual([expect.objectContaining({ userId: GIVER, status: 'pending', id: 'notify:gift_thanked' })]);
    expect(after.status).toBe('accepted');
  });

  it('is a repeat for the same text (no write) and THANKS_ALREADY_SENT for another', () => {
    const once = sendThanks(accepted(), RECIPIENT, '谢谢', at(20));
    expect(sendThanks(once, RECIPIENT, '谢谢', at(30))).toBe(once);
    expect(codeOf(() => sendThanks(once, RECIPIENT, '再次感谢', at(30)))).toBe('THANKS_ALREADY_SENT');
  });

  it('is only for the recipient, only once accepted', () => {
    expect(codeOf(() => sendThanks(accepted(), GIVER, '谢谢', at(20)))).toBe('NOT_RECIPIENT');
    expect(codeOf(() => sendThanks(accepted(), STRANGER, '谢谢', at(20)))).toBe('NOT_RECIPIENT');
    expect(codeOf(() => sendThanks(sentGift(), RECIPIENT, '谢谢', at(20)))).toBe('NOT_RECIPIENT');
    expect(codeOf(() => sendThanks(claimedGift(), RECIPIENT, '谢谢', at(20)))).toBe('GIFT_NOT_ACCEPTED');
    expect(codeOf(() => sendThanks(decline(addressedGift(), RECIPIENT, at(5)), RECIPIENT, '谢谢', at(20)))).toBe('GIFT_NOT_ACCEPTED');
    expect(codeOf(() => sendThanks(sweep(addressedGift(), at(86_400)), RECIPIENT, '谢谢', at(86_401)))).toBe('GIFT_NOT_ACCEPTED');
    expect(codeOf(() => sendThanks(unpaidGift(), RECIPIENT, '谢谢', at(20)))).toBe('GIFT_NOT_FOUND');
  });
});

describe('cancelByGiver', () => {
  it('cancels an unpaid gift with the cleanup’s very refund effect (close the order, refund a racing payment)', () => {
    const canceled = cancelByGiver(unpaidGift(), GIVER, at(60));
    const swept = sweep(unpaidGift(), at(DEFAULT_GIFT_POLICY.paymentTtlSeconds));
    expect(canceled).toMatchObject({ status: 'canceled', canceledAt: at(60), version: 2 });
    const strip = (g: Gift) => g.effects.map(({ createdAt: _c, nextAttemptAt: _n, ...e }) => e);
    expect(strip(canceled)).toEqual(strip(swept));
    expect(canceled.effects).toEqual([expect.objectContaining({ kind: 'refund', reason: 'canceled', paymentId: null, status: 'pending' })]);
  });

  it('is a repeat on a canceled gift, refuses a paid one, and is the giver’s alone', () => {
    const canceled = cancelByGiver(unpaidGift(), GIVER, at(60));
    expect(cancelByGiver(canceled, GIVER, at(70))).toBe(canceled);
    expect(cancelByGiver(sweep(unpaidGift(), at(DEFAULT_GIFT_POLICY.paymentTtlSeconds)), GIVER, at(9_999)).status).toBe('canceled');
    for (const paid of [sentGift(), claimedGift(), accepted()])
      expect(codeOf(() => cancelByGiver(paid, GIVER, at(60)))).toBe('GIFT_ALREADY_PAID');
    expect(codeOf(() => cancelByGiver(unpaidGift(), STRANGER, at(60)))).toBe('GIFT_NOT_FOUND');
  });

  it('cancels an unpaid gift whose payment window is already over (the cleanup has not run yet)', () => {
    const late = at(DEFAULT_GIFT_POLICY.paymentTtlSeconds + 5);
    expect(cancelByGiver(unpaidGift(), GIVER, late)).toMatchObject({ status: 'canceled', canceledAt: late });
  });
});

describe('the giver’s name and the note of thanks in the views', () => {
  const named = (): Gift => ({ ...accepted(), giverName: '小明' });

  it('snapshots the name at creation (null without one) and shows it to everyone', () => {
    const input = { id: GIFT_ID, giverId: GIVER, product: scarf(), sku: scarf().skus[0]!, message: 'hi', idempotency: null };
    expect(newGift({ ...input, giverName: '小明' }, T0, DEFAULT_GIFT_POLICY).giverName).toBe('小明');
    expect(newGift(input, T0, DEFAULT_GIFT_POLICY).giverName).toBeNull();
    const g = named();
    expect(giverView(g, at(30)).giverName).toBe('小明');
    for (const caller of [RECIPIENT, GIVER, STRANGER]) expect(claimView(g, scarf(), caller, at(30)).giverName).toBe('小明');
    expect(receivedView(g, at(30)).giverName).toBe('小明');
  });

  it('shows the thanks to the giver and the recipient, never to anyone else on the claim card', () => {
    const g = sendThanks(named(), RECIPIENT, '谢谢', at(20));
    const thanks = { message: '谢谢', sentAt: at(20) };
    expect(giverView(g, at(30)).thanks).toEqual(thanks);
    expect(receivedView(g, at(30)).thanks).toEqual(thanks);
    expect(claimView(g, scarf(), RECIPIENT, at(30)).thanks).toEqual(thanks);
    expect(claimView(g, scarf(), GIVER, at(30)).thanks).toBeNull();
    expect(claimView(g, scarf(), STRANGER, at(30)).thanks).toBeNull();
  });

  it('reads documents written before names and thanks were kept', () => {
    const { giverName: _n, thanks: _t, ...old } = accepted();
    const g = old as Gift;
    expect(giverView(g, at(30))).toMatchObject({ giverName: null, thanks: null });
    expect(claimView(g, scarf(), RECIPIENT, at(30))).toMatchObject({ giverName: null, thanks: null });
    expect(receivedView(g, at(30))).toMatchObject({ giverName: null, thanks: null, shipment: null });
  });
});

describe('previewView', () => {
  it('says who sends what and whether it is open: nothing else', () => {
    const g = { ...sentGift(), giverName: '小明' };
    expect(previewView(g, at(1))).toEqual({ giverName: '小明', product: { title: g.productTitle }, open: true });
    expect(previewView(claimedGift(), at(1)).open).toBe(false);
    expect(previewView(accepted(), at(20)).open).toBe(false);
    expect(previewView(sentGift(), at(DEFAULT_GIFT_POLICY.giftTtlSeconds)).open).toBe(false); // overdue reads as expired
    const json = JSON.stringify(previewView(sendThanks(accepted(), RECIPIENT, '谢谢', at(20)), at(30)));
    for (const secret of ['生日快乐', '29900', RECIPIENT, '谢谢', 'sku_', '北京']) expect(json).not.toContain(secret);
  });
});
