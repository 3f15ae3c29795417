import type { DispatchPolicy, GiftPolicy } from '../domain/gift-policy';
import type { AttemptLimiter } from './attempt-limiter';
import type { Catalog } from './catalog';
import type { ClaimLinks } from './claim-links';
import type { Clock } from './clock';
import type { Fulfillment } from './fulfillment';
import type { GiftStore } from './gift-store';
import type { IdGenerator } from './ids';
import type { Logger } from './logger';
import type { Notifier } from './notifier';
import type { PaymentGateway } from './payments';

/** Everything a use case may touch, wired once per entry point (local server, Lambda, CloudBase, tests). */
export interface Deps {
  store: GiftStore;
  catalog: Catalog;
  payments: PaymentGateway;
  /** Derives claim-link tokens (nothing secret is stored). */
  claimLinks: ClaimLinks;
  fulfillment: Fulfillment;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Per-caller counters of claim-link lookups that matched nothing. */
  limiter: AttemptLimiter;
  giftPolicy: GiftPolicy;
  dispatchPolicy: DispatchPolicy;
}
