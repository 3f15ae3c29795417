import type { DispatchPolicy, GiftPolicy } from '../domain/gift-policy';
import type { GroupPolicy } from '../domain/group-policy';
import type { AttemptLimiter } from './attempt-limiter';
import type { Catalog } from './catalog';
import type { ClaimLinks } from './claim-links';
import type { Clock } from './clock';
import type { Fulfillment } from './fulfillment';
import type { GiftStore } from './gift-store';
import type { GroupStore } from './group-store';
import type { IdGenerator } from './ids';
import type { Logger } from './logger';
import type { Notifier } from './notifier';
import type { PaymentGateway, PaymentNotifications } from './payments';
import type { RandomBytes } from './random';
import type { SharedValues } from './shared-values';
import type { TokenIssuer } from './token-issuer';
import type { WechatLogin } from './wechat-login';

/** Everything a use case may touch, wired once per entry point (local server, Lambda, CloudBase, tests). */
export interface Deps {
  store: GiftStore;
  /** The parts of group orders (units, markers, lottery entries, draw lists), beside the gifts: docs/group-gifts.md. */
  groupStore: GroupStore;
  catalog: Catalog;
  payments: PaymentGateway;
  /** The payment provider's notifications (POST /wechatpay/notify). */
  paymentNotifications: PaymentNotifications;
  /** Derives claim-link tokens (nothing secret is stored). */
  claimLinks: ClaimLinks;
  fulfillment: Fulfillment;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Per-caller counters of claim-link lookups that matched nothing. */
  limiter: AttemptLimiter;
  /** Small versioned values in the target's store: WeChat's access token, users' profiles (`profile#<userId>`). */
  sharedValues: SharedValues;
  giftPolicy: GiftPolicy;
  dispatchPolicy: DispatchPolicy;
  groupPolicy: GroupPolicy;
  /** Cryptographically secure random bytes: lottery seeds and entrants' salts (never Math.random). */
  random: RandomBytes;
  /** WeChat login (WECHAT_APPID + WECHAT_APP_SECRET); unset or null → POST /auth/wechat answers WECHAT_LOGIN_DISABLED. */
  wechatLogin?: WechatLogin | null;
  /** The app's own token issuer (AUTH_JWT_PRIVATE_KEY + AUTH_JWT_ISSUER); unset or null on CloudBase (WX_OPENID). */
  tokenIssuer?: TokenIssuer | null;
}
