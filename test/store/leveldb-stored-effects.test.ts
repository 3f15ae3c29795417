/** How the LevelDB engine stores a document's outbox: effects as rows, exactly reversible; older records still read. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStoredJson, storedJson } from '../../shared/adapters/leveldb/stored-effects';
import { effectIdempotencyKey, refundedNoticeEffect } from '../../shared/domain/effects';
import type { Effect, Gift, RefundEffect } from '../../shared/domain/gift';
import { accept, claim, decline, sweep } from '../../shared/domain/gift-transitions';
import { addressedGift, at, RECIPIENT, sentGift, T0 } from '../support/memory-deps';

const REMINDER = { reminderBeforeExpirySeconds: 7200 };

/** A settled refund carries the provider's answer and its outcome: fields beyond the base ones. */
function refundedGift(): Gift {
  const declined = decline(addressedGift(), RECIPIENT, at(60));
  const effects = declined.effects.map((e): Effect => {
    if (e.kind !== 'refund') return e;
    const done: RefundEffect = { ...e, status: 'done', attempts: 1, completedAt: at(90), receipt: 'rf_1', providerStatus: 'succeeded' };
    return { ...done, outcome: 'refunded' };
  });
  const refund = effects.find((e): e is RefundEffect => e.kind === 'refund')!;
  return { ...declined, effects: [...effects, refundedNoticeEffect(declined, refund, at(90))] };
}

const documents: Array<[string, Gift]> = [
  ['sent', sentGift()],
  ['claimed (a pending reminder)', claim(sentGift(), RECIPIENT, at(10), REMINDER)],
  ['accepted (handoff and notices)', accept(addressedGift(), RECIPIENT, at(60))],
  ['declined and refunded (refund fields, a notice with an amount)', refundedGift()],
  ['expired by the cleanup', sweep(sentGift(), at(2 * 86_400))],
];

describe('LevelDB stored effects', () => {
  it.each(documents)('%s: reads back byte for byte, and ≥ 100 characters shorter an effect', (_, gift) => {
    const stored = storedJson(gift);
    expect(JSON.stringify(parseStoredJson(stored))).toBe(JSON.stringify(gift));
    // Each effect sheds at least its ten base key names and its derivable idempotency key.
    expect(stored.length).toBeLessThanOrEqual(JSON.stringify(gift).length - 100 * gift.effects.length);
  });

  it('leaves out only an idempotency key it can derive; any other key is stored', () => {
    const gift = accept(addressedGift(), RECIPIENT, at(60));
    const odd = { ...gift, effects: gift.effects.map((e, i) => (i === 0 ? { ...e, idempotencyKey: 'merchant:legacy-key' } : e)) };
    const stored = storedJson(odd);
    expect(stored).toContain('merchant:legacy-key');
    expect(stored).not.toContain(effectIdempotencyKey(gift.id, gift.effects[1]!.id));
    expect(parseStoredJson(stored)).toEqual(odd);
  });

  it('reads rows written before recordedIn was kept (the rest right after the kind), without one', () => {
    const gift = accept(addressedGift(), RECIPIENT, at(60));
    const legacy = JSON.parse(storedJson(gift)) as { effects: unknown[][] };
    for (const row of legacy.effects) if (typeof row[9] === 'number') row.splice(9, 1);
    const read = parseStoredJson(JSON.stringify(legacy));
    expect(read.effects.map((e) => e.recordedIn)).toEqual(gift.effects.map(() => undefined));
    expect(read.effects).toEqual(gift.effects.map(({ recordedIn: _, ...e }) => e));
  });

  it('reads a record written before, with effect objects', () => {
    const gift = refundedGift();
    expect(parseStoredJson(JSON.stringify(gift))).toEqual(gift);
    // A record with no outbox at all reads as it was stored rather than failing the read.
    expect(parseStoredJson('{"id":"g_x","version":1}')).toEqual({ id: 'g_x', version: 1 });
  });

  it('round-trips any effect, whatever extra fields it carries', () => {
    const base = accept(addressedGift(), RECIPIENT, T0);
    const text = fc.option(fc.string(), { nil: null });
    const effect = fc.record({
      id: fc.string({ minLength: 1 }),
      derivedKey: fc.boolean(),
      otherKey: fc.string(),
      status: fc.constantFrom('pending', 'done', 'failed', 'canceled'),
      attempts: fc.nat(),
      nextAttemptAt: fc.string(),
      lastError: text,
      createdAt: fc.string(),
      completedAt: text,
      receipt: text,
      kind: fc.constantFrom('handoff', 'refund', 'notify'),
      extra: fc.dictionary(
        fc.string().filter((k) => k !== '__proto__'),
        fc.jsonValue(),
      ),
    });
    fc.assert(
      fc.property(fc.array(effect, { maxLength: 6 }), (rows) => {
        const effects = rows.map(({ derivedKey, otherKey, extra, ...e }) => ({
          ...e,
          idempotencyKey: derivedKey ? effectIdempotencyKey(base.id, e.id) : otherKey,
          ...Object.fromEntries(Object.entries(extra).filter(([k]) => !(k in e) && k !== 'idempotencyKey')),
        })) as unknown as Effect[];
        const gift: Gift = { ...base, effects };
        // What plain JSON would read back (JSON itself turns -0 into 0).
        expect(parseStoredJson(storedJson(gift))).toEqual(JSON.parse(JSON.stringify(gift)));
      }),
    );
  });
});
