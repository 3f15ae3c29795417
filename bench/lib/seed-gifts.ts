/** Builds sent gifts directly with the domain transitions (no use-case round trips) to fill a store fast. */
import { DEMO_CATALOG } from '../../shared/catalog/demo-catalog';
import { hashClaimToken } from '../../shared/domain/claim-token';
import type { Gift } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { confirmPayment, newGift } from '../../shared/domain/gift-transitions';
import { addSeconds } from '../../shared/domain/time';

const scarf = DEMO_CATALOG[0]!;
const TOKEN_HASH = hashClaimToken('bench.token');

/** A paid, sent gift whose 24 h window ends at `expiresAt`. */
export function sentGiftExpiringAt(n: number, expiresAt: string): Gift {
  const sentAt = addSeconds(expiresAt, -DEFAULT_GIFT_POLICY.giftTtlSeconds);
  const g = newGift(
    { id: `g_bench_${n}`, giverId: `giver_${n % 50_000}`, product: scarf, sku: scarf.skus[0]!, message: null, idempotency: null },
    sentAt,
    DEFAULT_GIFT_POLICY,
  );
  const link = { hash: TOKEN_HASH, version: 1 };
  return confirmPayment(g, { paymentId: `pay_${n}`, amountFen: 29_900, paidAt: sentAt }, link, sentAt, DEFAULT_GIFT_POLICY);
}
