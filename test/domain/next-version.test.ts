import { describe, expect, it } from 'vitest';
import { beginAttempt, completeAttempt, OutboxDraft } from '../../shared/domain/effects';
import type { Gift } from '../../shared/domain/gift';
import { accept, nextVersion, sendThanks } from '../../shared/domain/gift-transitions';
import { addressedGift, at, RECIPIENT, sentGift, T0, TEST_DISPATCH_POLICY, unpaidGift } from '../support/memory-deps';

/** What nextVersion stands for: the gift as a spread would copy it, one version on, written at `now`. */
const spreadCopy = (g: Gift, now: string): Gift => ({ ...g, version: g.version + 1, updatedAt: now });

/** Every own key with its value, in order (toEqual alone would not see a key missing beside one that is undefined). */
const entries = (o: object) => Object.entries(o);

describe('nextVersion: the literal copy of a gift is the spread copy', () => {
  const stages: Array<[string, Gift]> = [
    ['unpaid', unpaidGift()],
    ['sent', sentGift()],
    ['addressed', addressedGift()],
    ['accepted', accept(addressedGift(), RECIPIENT, at(1))],
    ['thanked', sendThanks(accept(addressedGift(), RECIPIENT, at(1)), RECIPIENT, '谢谢', at(2))],
  ];

  it.each(stages)('%s: same keys, same order, same values', (_stage, gift) => {
    expect(entries(nextVersion(gift, at(9)))).toEqual(entries(spreadCopy(gift, at(9))));
  });

  it('copies the keys later transitions add (shipment, merchant events) with their values', () => {
    const shipped: Gift = {
      ...accept(addressedGift(), RECIPIENT, at(1)),
      shipment: { status: 'shipped', carrier: 'SF', trackingNumber: 'SF1', shippedAt: at(5), deliveredAt: null },
      merchantEventIds: ['e1'],
    };
    const copy = nextVersion(shipped, at(9));
    expect(copy).toStrictEqual(spreadCopy(shipped, at(9)));
    expect(Object.keys(copy).sort()).toEqual(Object.keys(shipped).sort());
  });

  it('copies a document with a key it does not know (another version wrote it) whole, by a spread', () => {
    const other = { ...sentGift(), fulfillment: null } as Gift;
    expect(entries(nextVersion(other, at(9)))).toEqual(entries(spreadCopy(other, at(9))));
  });

  it('copies a document without the keys older versions lacked (no giver name, no link version) as it is', () => {
    const { giverName: _name, linkVersion: _link, ...older } = sentGift();
    expect(entries(nextVersion(older as Gift, at(9)))).toEqual(entries(spreadCopy(older as Gift, at(9))));
  });

  it('leaves the gift it copies alone', () => {
    const gift = sentGift();
    const before = structuredClone(gift);
    nextVersion(gift, at(9)).status = 'claimed';
    expect(gift).toStrictEqual(before);
  });
});

describe('OutboxDraft: steps on the draft leave the outbox they leave on the document', () => {
  it('begin and complete on a draft give the effects (and the versions) they give on the gift', () => {
    const gift = accept(addressedGift(), RECIPIENT, T0);
    const onGift = completeAttempt(beginAttempt(gift, 'handoff', at(1), TEST_DISPATCH_POLICY), 'handoff', at(2), { receipt: 'r1' });
    const onDraft = completeAttempt(beginAttempt(OutboxDraft.of(gift), 'handoff', at(1), TEST_DISPATCH_POLICY), 'handoff', at(2), {
      receipt: 'r1',
    });
    expect(onDraft).toBeInstanceOf(OutboxDraft);
    expect(onDraft.effects).toStrictEqual(onGift.effects);
    expect(onDraft.version).toBe(onGift.version);
    expect(gift.effects.find((e) => e.id === 'handoff')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('keeps an effect key the copy does not know', () => {
    const gift = accept(addressedGift(), RECIPIENT, T0);
    const odd = { ...gift, effects: gift.effects.map((e) => (e.id === 'handoff' ? { ...e, note: 'x' } : e)) } as Gift;
    const begun = beginAttempt(OutboxDraft.of(odd), 'handoff', at(1), TEST_DISPATCH_POLICY);
    expect(begun.effects.find((e) => e.id === 'handoff')).toMatchObject({ note: 'x', attempts: 1 });
  });
});
