/**
 * The HTTP contract, one exported constant per operation: method, path, auth, input schemas and the error codes it
 * documents; the success body's schema is in ./operation-responses.ts under the operation's id. Each function's
 * handler imports only its own operation, so a bundle carries only the schemas its route uses (AddressBody alone pulls
 * in libphonenumber-js and the region data).
 * `operations` in ./operations.ts assembles the table the router, the OpenAPI document and the tests read.
 *
 * Keep this module free of side effects (plain object literals only) so esbuild can drop what a bundle does not
 * use; package.json declares "sideEffects" for the same reason.
 */
import type * as z from 'zod/mini';
import { AcceptGiftBody, AddressBody } from '../schemas/address';
import { WechatLoginBody } from '../schemas/auth';
import { CreateGiftBody } from '../schemas/create-gift';
import { FulfillmentEventBody } from '../schemas/fulfillment-event';
import { DisplayNameBody } from '../schemas/profile';
import { DevLoginBody, ListGiftsQuery, SwapVariantBody } from '../schemas/requests';
import { ThanksBody } from '../schemas/thanks';
import type { ErrorCode } from './error-status';

export interface Operation {
  id: string;
  method: 'get' | 'post' | 'put';
  /** Hono path syntax (`:param`). */
  path: string;
  summary: string;
  tag: 'profile' | 'catalog' | 'giver' | 'recipient' | 'merchant' | 'payments' | 'auth' | 'dev';
  /** 'user' routes need a caller identity (401 without one); 'signature' routes a valid merchant signature. */
  auth: 'user' | 'none' | 'signature';
  /** The handler gets the body as received (`raw`), for signatures over exact bytes; nothing is parsed for it. */
  rawBody?: true;
  /** Errors in the payment provider's format (`{"code":"FAIL","message"}`) instead of songli's. */
  errorFormat?: 'wechatpay';
  body?: z.ZodMiniType;
  /** The body may be left out (documented as optional): no body reads as {}, which `body` must accept. */
  bodyOptional?: true;
  query?: z.ZodMiniType;
  /** Request headers the route reads. */
  headers?: Readonly<Record<string, { readonly description: string; readonly required: boolean }>>;
  /** The success status; the body's schema is in ./operation-responses.ts under the operation's id (why: there). */
  successStatus: 200 | 201 | 204;
  /** Error codes the route documents (beyond those every route of its kind can answer). */
  errors: readonly ErrorCode[];
}

export const getProfile = {
  id: 'getProfile',
  method: 'get',
  path: '/me',
  summary: "The caller's profile: the display name gifts they send carry (null until set)",
  tag: 'profile',
  auth: 'user',
  successStatus: 200,
  errors: [],
} as const satisfies Operation;

export const setProfile = {
  id: 'setProfile',
  method: 'put',
  path: '/me',
  summary: 'Set the display name (1 to 20 characters): gifts created from now on show it; sent ones keep theirs',
  tag: 'profile',
  auth: 'user',
  body: DisplayNameBody,
  successStatus: 200,
  errors: ['VALIDATION_FAILED', 'CONCURRENT_UPDATE'],
} as const satisfies Operation;

export const listProducts = {
  id: 'listProducts',
  method: 'get',
  path: '/products',
  summary: 'Catalog with 支持送礼物 flags',
  tag: 'catalog',
  auth: 'user',
  successStatus: 200,
  errors: ['DEPENDENCY_UNAVAILABLE'],
} as const satisfies Operation;

export const createGift = {
  id: 'createGift',
  method: 'post',
  path: '/gifts',
  summary:
    '送给朋友: create an unpaid gift for one style. With WeChat Pay its order is opened with it and `payment` holds the ' +
    'arguments of wx.requestPayment (null with the dev provider, or when the order could not be opened: POST /gifts/:id/pay)',
  tag: 'giver',
  auth: 'user',
  body: CreateGiftBody,
  headers: { 'Idempotency-Key': { description: 'Retry-safe creation: the same key returns the same gift', required: false } },
  successStatus: 201,
  errors: ['GIFT_INELIGIBLE', 'OUT_OF_STOCK', 'SKU_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'VALIDATION_FAILED'],
} as const satisfies Operation;

export const payGift = {
  id: 'payGift',
  method: 'post',
  path: '/gifts/:id/pay',
  summary:
    'Open the payment order (or the same one again): WeChat Pay answers with the arguments of wx.requestPayment and the gift ' +
    'is sent once WeChat Pay confirms the payment; the dev provider pays at once (sent, with the claim token)',
  tag: 'giver',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'GIFT_CANCELED', 'OUT_OF_STOCK', 'DEPENDENCY_UNAVAILABLE'],
} as const satisfies Operation;

export const reissueClaimLink = {
  id: 'reissueClaimLink',
  method: 'post',
  path: '/gifts/:id/claim-link',
  summary: 'Replace a lost claim link while unclaimed (the old one stops working)',
  tag: 'giver',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'GIFT_NOT_PAID', 'ALREADY_CLAIMED', 'GIFT_EXPIRED'],
} as const satisfies Operation;

export const cancelGift = {
  id: 'cancelGift',
  method: 'post',
  path: '/gifts/:id/cancel',
  summary:
    'Cancel a gift not paid for: its payment order is closed, and a payment that races the cancel is refunded. ' +
    'Canceling a canceled gift answers with it',
  tag: 'giver',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'GIFT_ALREADY_PAID', 'CONCURRENT_UPDATE'],
} as const satisfies Operation;

export const getGift = {
  id: 'getGift',
  method: 'get',
  path: '/gifts/:id',
  summary:
    "The giver's view of a gift, with handoff and refund progress and, while sent and unclaimed, its live claim link. " +
    'While awaiting payment the payment provider is asked, so a payment whose notification is late still shows as sent',
  tag: 'giver',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND'],
} as const satisfies Operation;

export const listGifts = {
  id: 'listGifts',
  method: 'get',
  path: '/gifts',
  summary: 'My sent or received gifts, newest first',
  tag: 'giver',
  auth: 'user',
  query: ListGiftsQuery,
  successStatus: 200,
  errors: ['VALIDATION_FAILED', 'INVALID_CURSOR'],
} as const satisfies Operation;

export const viewClaim = {
  id: 'viewClaim',
  method: 'get',
  path: '/claims/:token',
  summary: 'Open the gift card behind a claim link (no price)',
  tag: 'recipient',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'RATE_LIMITED'],
} as const satisfies Operation;

export const previewClaim = {
  id: 'previewClaim',
  method: 'get',
  path: '/claims/:token/preview',
  summary:
    "A claim link's public preview (no sign-in): the giver's name, the product's title and whether it still waits to be " +
    'claimed; nothing private. Misses are limited per client address',
  tag: 'recipient',
  auth: 'none',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'RATE_LIMITED'],
} as const satisfies Operation;

export const claimGift = {
  id: 'claimGift',
  method: 'post',
  path: '/claims/:token/claim',
  summary:
    'Become the recipient (1:1: the first claimer wins). 群发礼物: take one unit per person while units remain (a repeat ' +
    'answers the same unit; 409 ALL_CLAIMED after the last); a lottery is entered instead',
  tag: 'recipient',
  auth: 'user',
  successStatus: 200,
  errors: [
    'GIFT_NOT_FOUND',
    'ALREADY_CLAIMED',
    'ALL_CLAIMED',
    'CANNOT_CLAIM_OWN_GIFT',
    'GIFT_EXPIRED',
    'GIFT_DECLINED',
    'NOT_RECIPIENT',
    'RATE_LIMITED',
  ],
} as const satisfies Operation;

export const enterLottery = {
  id: 'enterLottery',
  method: 'post',
  path: '/claims/:token/enter',
  summary: '群礼物抽奖: enter the draw (once per person; a repeat answers the same entry). Closed from drawAt on',
  tag: 'recipient',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'CANNOT_CLAIM_OWN_GIFT', 'DRAW_CLOSED', 'NOT_RECIPIENT', 'RATE_LIMITED'],
} as const satisfies Operation;

export const viewDraw = {
  id: 'viewDraw',
  method: 'get',
  path: '/claims/:token/draw',
  summary:
    "群礼物抽奖: the published draw (seed, the entrants' salted hashes, winners), to check with scripts/verify-draw.ts " +
    '(README, "Checking a draw"); 409 NOT_DRAWN before the draw',
  tag: 'recipient',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'NOT_DRAWN', 'RATE_LIMITED'],
} as const satisfies Operation;

export const setAddress = {
  id: 'setAddress',
  method: 'put',
  path: '/claims/:token/address',
  summary: '填写收货地址',
  tag: 'recipient',
  auth: 'user',
  body: AddressBody,
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'NOT_RECIPIENT', 'VALIDATION_FAILED', 'ALREADY_ACCEPTED', 'GIFT_EXPIRED', 'RATE_LIMITED'],
} as const satisfies Operation;

export const swapVariant = {
  id: 'swapVariant',
  method: 'put',
  path: '/claims/:token/variant',
  summary: '换个款式: same product, same price, in stock',
  tag: 'recipient',
  auth: 'user',
  body: SwapVariantBody,
  successStatus: 200,
  errors: [
    'GIFT_NOT_FOUND',
    'NOT_RECIPIENT',
    'VARIANT_NOT_SAME_PRICE',
    'VARIANT_NOT_SAME_PRODUCT',
    'OUT_OF_STOCK',
    'ALREADY_ACCEPTED',
    'SKU_NOT_FOUND',
    'GIFT_EXPIRED',
    'RATE_LIMITED',
  ],
} as const satisfies Operation;

export const acceptGift = {
  id: 'acceptGift',
  method: 'post',
  path: '/claims/:token/accept',
  summary:
    '收下礼物: accept; records the fulfillment handoff. With `address` in the body (optional), the address is set and the ' +
    'gift accepted in one write, by the rules of both: one request for 收下礼物 over an open address form',
  tag: 'recipient',
  auth: 'user',
  body: AcceptGiftBody,
  bodyOptional: true,
  successStatus: 200,
  errors: [
    'GIFT_NOT_FOUND',
    'NOT_RECIPIENT',
    'ADDRESS_REQUIRED',
    'VALIDATION_FAILED',
    'ALREADY_ACCEPTED',
    'GIFT_EXPIRED',
    'GIFT_DECLINED',
    'RATE_LIMITED',
  ],
} as const satisfies Operation;

export const declineGift = {
  id: 'declineGift',
  method: 'post',
  path: '/claims/:token/decline',
  summary: 'Decline; records the refund to the giver',
  tag: 'recipient',
  auth: 'user',
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'NOT_RECIPIENT', 'ALREADY_ACCEPTED', 'GIFT_EXPIRED', 'RATE_LIMITED'],
} as const satisfies Operation;

export const sendThanks = {
  id: 'sendThanks',
  method: 'post',
  path: '/claims/:token/thanks',
  summary: 'The recipient thanks the giver, once, after accepting (≤ 50 characters); the giver is told',
  tag: 'recipient',
  auth: 'user',
  body: ThanksBody,
  successStatus: 200,
  errors: ['GIFT_NOT_FOUND', 'NOT_RECIPIENT', 'GIFT_NOT_ACCEPTED', 'THANKS_ALREADY_SENT', 'VALIDATION_FAILED', 'RATE_LIMITED'],
} as const satisfies Operation;

export const fulfillmentEvent = {
  id: 'fulfillmentEvent',
  method: 'post',
  path: '/merchant/fulfillment-events',
  summary: 'Merchant callback: a gift shipped or was delivered (signed; stale or replayed events are refused)',
  tag: 'merchant',
  auth: 'signature',
  body: FulfillmentEventBody,
  headers: {
    'X-Songli-Timestamp': { description: 'Unix seconds; more than 300 s away from now is refused', required: true },
    'X-Songli-Signature': { description: 'v1=<hex HMAC-SHA256(MERCHANT_CALLBACK_SECRET, "<timestamp>.<raw body>")>', required: true },
  },
  successStatus: 200,
  errors: [
    'WEBHOOK_SIGNATURE_MISSING',
    'WEBHOOK_SIGNATURE_INVALID',
    'WEBHOOK_TIMESTAMP_STALE',
    'WEBHOOK_REPLAYED',
    'GIFT_NOT_FOUND',
    'GIFT_NOT_ACCEPTED',
    'CALLBACKS_DISABLED',
  ],
} as const satisfies Operation;

export const wechatpayNotify = {
  id: 'wechatpayNotify',
  method: 'post',
  path: '/wechatpay/notify',
  summary:
    'WeChat Pay notifications (payment and refund): verified (signature, serial, 300 s), decrypted, checked against the gift, ' +
    'applied once. 204 acknowledges; a refusal answers 4xx/5xx with {"code":"FAIL","message"}',
  tag: 'payments',
  auth: 'none',
  rawBody: true,
  errorFormat: 'wechatpay',
  headers: {
    'Wechatpay-Timestamp': { description: 'Unix seconds; 300 s or more away from now is refused', required: true },
    'Wechatpay-Nonce': { description: 'Signed with the timestamp and the body', required: true },
    'Wechatpay-Signature': { description: 'SHA256withRSA over "<timestamp>\\n<nonce>\\n<body>\\n", base64', required: true },
    'Wechatpay-Serial': { description: 'PUB_KEY_ID_… of the WeChat Pay public key, or a platform certificate serial', required: true },
  },
  successStatus: 204,
  errors: ['WECHATPAY_NOTIFICATION_REFUSED', 'WECHATPAY_NOTIFICATION_MISMATCH', 'DEPENDENCY_UNAVAILABLE'],
} as const satisfies Operation;

export const wechatLogin = {
  id: 'wechatLogin',
  method: 'post',
  path: '/auth/wechat',
  summary: "Sign in with a wx.login code: the app's own RS256 token for the openid (AWS and local; CloudBase uses WX_OPENID)",
  tag: 'auth',
  auth: 'none',
  body: WechatLoginBody,
  successStatus: 200,
  errors: ['WECHAT_LOGIN_FAILED', 'WECHAT_LOGIN_DISABLED', 'VALIDATION_FAILED'],
} as const satisfies Operation;

export const openIdConfiguration = {
  id: 'openIdConfiguration',
  method: 'get',
  path: '/.well-known/openid-configuration',
  summary: "OpenID Connect discovery of the app's token issuer (what API Gateway's JWT authorizer reads)",
  tag: 'auth',
  auth: 'none',
  successStatus: 200,
  errors: ['WECHAT_LOGIN_DISABLED'],
} as const satisfies Operation;

export const jwks = {
  id: 'jwks',
  method: 'get',
  path: '/.well-known/jwks.json',
  summary: "The public keys the app's tokens are signed with (JWKS; `kid` is the RFC 7638 thumbprint)",
  tag: 'auth',
  auth: 'none',
  successStatus: 200,
  errors: ['WECHAT_LOGIN_DISABLED'],
} as const satisfies Operation;

export const devLogin = {
  id: 'devLogin',
  method: 'post',
  path: '/dev/login',
  summary: 'Local mode: a signed token for any user id',
  tag: 'dev',
  auth: 'none',
  body: DevLoginBody,
  successStatus: 200,
  errors: ['VALIDATION_FAILED', 'DEV_ROUTES_DISABLED'],
} as const satisfies Operation;

export const devWechat = {
  id: 'devWechat',
  method: 'get',
  path: '/dev/wechat',
  summary: 'Local mode: where the WeChat stand-in listens (its pay sheet confirms payments), or null',
  tag: 'dev',
  auth: 'none',
  successStatus: 200,
  errors: ['DEV_ROUTES_DISABLED'],
} as const satisfies Operation;

export const devFulfillments = {
  id: 'devFulfillments',
  method: 'get',
  path: '/dev/fulfillments',
  summary: 'Local mode: handoffs the built-in fulfillment sink received',
  tag: 'dev',
  auth: 'user',
  successStatus: 200,
  errors: ['DEV_ROUTES_DISABLED'],
} as const satisfies Operation;

export const devRefunds = {
  id: 'devRefunds',
  method: 'get',
  path: '/dev/refunds',
  summary: 'Local mode: refunds the simulated payment provider made',
  tag: 'dev',
  auth: 'user',
  successStatus: 200,
  errors: ['DEV_ROUTES_DISABLED'],
} as const satisfies Operation;

export const devNotifications = {
  id: 'devNotifications',
  method: 'get',
  path: '/dev/notifications',
  summary: 'Local mode: notifications sent to givers',
  tag: 'dev',
  auth: 'user',
  successStatus: 200,
  errors: ['DEV_ROUTES_DISABLED'],
} as const satisfies Operation;

export const devSweep = {
  id: 'devSweep',
  method: 'post',
  path: '/dev/sweep',
  summary: 'Local mode: run the cleanup and the dispatchers now',
  tag: 'dev',
  auth: 'user',
  successStatus: 200,
  errors: ['DEV_ROUTES_DISABLED'],
} as const satisfies Operation;
