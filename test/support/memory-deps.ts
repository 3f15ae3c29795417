import { MemoryAttemptLimiter } from '../../shared/adapters/memory/memory-attempt-limiter';
import { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import { MemoryGroupStore } from '../../shared/adapters/memory/memory-group-store';
import { MemorySharedValues } from '../../shared/adapters/memory/memory-shared-values';
import { StaticCatalog } from '../../shared/adapters/memory/static-catalog';
import { DevPaymentGateway, devPaymentNotifications } from '../../shared/adapters/simulated/dev-payment-gateway';
import { SinkFulfillment } from '../../shared/adapters/simulated/sink-fulfillment';
import { SinkNotifier } from '../../shared/adapters/simulated/sink-notifier';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { hmacClaimLinks } from '../../shared/adapters/system/hmac-claim-links';
import { nanoidIds } from '../../shared/adapters/system/nanoid-ids';
import { secureRandom } from '../../shared/adapters/system/secure-random';
import { DEMO_CATALOG } from '../../shared/catalog/demo-catalog';
import type { Product } from '../../shared/domain/catalog';
import { composeClaimToken, hashClaimToken } from '../../shared/domain/claim-token';
import { AppError } from '../../shared/domain/errors';
import type { Address, Gift } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY, type DispatchPolicy, type GiftPolicy } from '../../shared/domain/gift-policy';
import { claim, confirmPayment, newGift, setAddress } from '../../shared/domain/gift-transitions';
import { DEFAULT_GROUP_POLICY, type GroupPolicy } from '../../shared/domain/group-policy';
import { addSeconds } from '../../shared/domain/time';
import type { Deps } from '../../shared/ports/deps';
import type { Fulfillment } from '../../shared/ports/fulfillment';
import type { Logger } from '../../shared/ports/logger';

export const T0 = '2026-11-24T08:00:00.000Z';

export const TEST_DISPATCH_POLICY: DispatchPolicy = {
  baseDelaySeconds: 5,
  maxDelaySeconds: 3_600,
  maxAttempts: 20,
  leaseSeconds: 60,
  refundConfirmSeconds: 60,
};

/** The claim-link key of the in-process tests. */
export const TEST_CLAIM_LINKS = hmacClaimLinks('test-claim-link-secret-0123456789abcdef');

/** A logger that drops everything (satisfies shared/ports/logger.ts). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/** A deep copy of the demo catalog, so a test that changes stock does not leak into another. */
export const freshCatalogProducts = (): Product[] => structuredClone(DEMO_CATALOG);

export interface MemoryDeps extends Deps {
  store: MemoryGiftStore;
  groupStore: MemoryGroupStore;
  catalog: StaticCatalog;
  payments: DevPaymentGateway;
  sink: SinkFulfillment;
  notifier: SinkNotifier;
  clock: FixedClock;
}

export interface MakeDepsOptions {
  fulfillment?: Fulfillment;
  dispatchPolicy?: Partial<DispatchPolicy>;
  giftPolicy?: Partial<GiftPolicy>;
  groupPolicy?: Partial<GroupPolicy>;
  start?: string;
}

export function makeDeps(opts: MakeDepsOptions = {}): MemoryDeps {
  const clock = new FixedClock(opts.start ?? T0);
  const now = () => clock.now();
  const sink = new SinkFulfillment(null, now);
  return {
    store: new MemoryGiftStore(),
    groupStore: new MemoryGroupStore(),
    limiter: new MemoryAttemptLimiter(),
    sharedValues: new MemorySharedValues(),
    catalog: new StaticCatalog(freshCatalogProducts()),
    payments: new DevPaymentGateway(null, now),
    paymentNotifications: devPaymentNotifications,
    claimLinks: TEST_CLAIM_LINKS,
    fulfillment: opts.fulfillment ?? sink,
    sink,
    notifier: new SinkNotifier(null, now),
    clock,
    ids: nanoidIds,
    logger: silentLogger,
    giftPolicy: { ...DEFAULT_GIFT_POLICY, ...opts.giftPolicy },
    dispatchPolicy: { ...TEST_DISPATCH_POLICY, ...opts.dispatchPolicy },
    groupPolicy: { ...DEFAULT_GROUP_POLICY, ...opts.groupPolicy },
    random: secureRandom,
  };
}

/* ---------- domain fixtures (pure documents, no adapters) ---------- */

export const GIVER = 'alice';
export const RECIPIENT = 'bob';
export const STRANGER = 'carol';
export const GIFT_ID = 'g_test00000001';
export const SECRET = 'A'.repeat(16) + 'b'.repeat(16);
export const TOKEN = composeClaimToken(GIFT_ID, SECRET);

export const ADDRESS: Address = {
  name: '张三丰',
  phone: '+8613800138000',
  regionCode: '110105',
  province: '北京市',
  city: '北京市',
  district: '朝阳区',
  detail: '建国路88号院3号楼',
};

export const at = (seconds: number) => addSeconds(T0, seconds);

export function scarf(): Product {
  return freshCatalogProducts().find((p) => p.id === 'p_scarf')!;
}

export function unpaidGift(now = T0): Gift {
  const product = scarf();
  const sku = product.skus.find((s) => s.id === 'sku_scarf_blue')!;
  return newGift({ id: GIFT_ID, giverId: GIVER, product, sku, message: '生日快乐', idempotency: null }, now, DEFAULT_GIFT_POLICY);
}

export function sentGift(now = T0): Gift {
  return confirmPayment(
    unpaidGift(now),
    { paymentId: 'pay_test', amountFen: 29_900, paidAt: now },
    { hash: hashClaimToken(TOKEN), version: 1 },
    now,
    DEFAULT_GIFT_POLICY,
  );
}

export function claimedGift(now = T0): Gift {
  return claim(sentGift(now), RECIPIENT, now, DEFAULT_GIFT_POLICY);
}

export function addressedGift(now = T0): Gift {
  return setAddress(claimedGift(now), RECIPIENT, ADDRESS, now);
}

/** Runs fn and returns the AppError code it threw; fails the test when it did not throw an AppError. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw new Error(`expected an AppError, got ${String(e)}`);
  }
  throw new Error('expected an AppError, nothing was thrown');
}

/** Awaits p and returns the AppError code it rejected with; fails the test when it resolved. */
export async function asyncCodeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw new Error(`expected an AppError, got ${String(e)}`);
  }
  throw new Error('expected an AppError, the promise resolved');
}
