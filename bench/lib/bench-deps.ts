/** Deps for in-process benchmarks: the real use cases over a chosen store, local receivers, a frozen clock. */

import { MemoryAttemptLimiter } from '../../shared/adapters/memory/memory-attempt-limiter';
import { MemoryGroupStore } from '../../shared/adapters/memory/memory-group-store';
import { MemorySharedValues } from '../../shared/adapters/memory/memory-shared-values';
import { StaticCatalog } from '../../shared/adapters/memory/static-catalog';
import { DevPaymentGateway, devPaymentNotifications } from '../../shared/adapters/simulated/dev-payment-gateway';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { hmacClaimLinks } from '../../shared/adapters/system/hmac-claim-links';
import { nanoidIds } from '../../shared/adapters/system/nanoid-ids';
import { secureRandom } from '../../shared/adapters/system/secure-random';
import { DEMO_CATALOG } from '../../shared/catalog/demo-catalog';
import { DEFAULT_DISPATCH_POLICY, DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { DEFAULT_GROUP_POLICY } from '../../shared/domain/group-policy';
import type { AttemptLimiter } from '../../shared/ports/attempt-limiter';
import type { Deps } from '../../shared/ports/deps';
import type { GiftStore } from '../../shared/ports/gift-store';
import type { GroupStore } from '../../shared/ports/group-store';
import type { Logger } from '../../shared/ports/logger';
import { TallyFulfillment, TallyNotifier } from './tally-receivers';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

export interface BenchDeps extends Deps {
  clock: FixedClock;
  payments: DevPaymentGateway;
  sink: TallyFulfillment;
  notices: TallyNotifier;
}

/**
 * The payment stand-in holds the last 10,000 charges and refunds by number, so long runs do not grow the heap, and
 * journals nothing; the day replay reconciles what it counts (DevPaymentGateway.moneyMoved).
 */
export function benchDeps(
  store: GiftStore,
  opts: { limiter?: AttemptLimiter; groupStore?: GroupStore; start?: string; countRepeatedNotices?: boolean } = {},
): BenchDeps {
  const clock = new FixedClock(opts.start ?? '2026-11-24T00:00:00.000Z');
  const now = () => clock.now();
  const sink = new TallyFulfillment();
  const notices = new TallyNotifier({ keyed: opts.countRepeatedNotices });
  // Stock never runs out in a benchmark: a million gifts of one scarf.
  const catalog = structuredClone(DEMO_CATALOG).map((p) => ({ ...p, skus: p.skus.map((s) => ({ ...s, stock: s.stock > 0 ? 1e12 : 0 })) }));
  return {
    store,
    groupStore: opts.groupStore ?? new MemoryGroupStore(),
    limiter: opts.limiter ?? new MemoryAttemptLimiter(),
    sharedValues: new MemorySharedValues(),
    catalog: new StaticCatalog(catalog),
    payments: new DevPaymentGateway(null, now, { retainRecords: false, maxCharges: 10_000 }),
    paymentNotifications: devPaymentNotifications,
    claimLinks: hmacClaimLinks('bench-claim-link-secret-0123456789abcdef'),
    fulfillment: sink,
    sink,
    notifier: notices,
    notices,
    clock,
    ids: nanoidIds,
    logger: silent,
    giftPolicy: DEFAULT_GIFT_POLICY,
    dispatchPolicy: DEFAULT_DISPATCH_POLICY,
    groupPolicy: DEFAULT_GROUP_POLICY,
    random: secureRandom,
  };
}
