/**
 * Every deployable function, in one list. The local server serves and schedules these; `npm run gen` writes each
 * one's Lambda and CloudBase entry, serverless.yml's functions and cloudbaserc.json from it (a test fails when a
 * committed file differs). To add a route: its operation in shared/http/contract.ts, its handler in
 * functions/<name>/handler.ts, one line here, then `npm run gen`.
 */
import {
  cloudbaseGateway,
  defineFunctions,
  httpFunction,
  scheduledFunction,
  streamFunction,
} from '../shared/composition/function-manifest';
import acceptGift from './accept-gift/handler';
import authWechat from './auth-wechat/handler';
import cancelGift from './cancel-gift/handler';
import claimGift from './claim-gift/handler';
import createGift from './create-gift/handler';
import declineGift from './decline-gift/handler';
import dispatchHandoffs from './dispatch-handoffs/handler';
import dispatchNotifications from './dispatch-notifications/handler';
import dispatchRefunds from './dispatch-refunds/handler';
import dispatchStream from './dispatch-stream/handler';
import enterLottery from './enter-lottery/handler';
import fulfillmentEvents from './fulfillment-events/handler';
import getGift from './get-gift/handler';
import getProfile from './get-profile/handler';
import jwks from './jwks/handler';
import listGifts from './list-gifts/handler';
import listProducts from './list-products/handler';
import openIdConfiguration from './openid-configuration/handler';
import payGift from './pay-gift/handler';
import previewClaim from './preview-claim/handler';
import reissueClaimLink from './reissue-claim-link/handler';
import sendThanks from './send-thanks/handler';
import setAddress from './set-address/handler';
import setProfile from './set-profile/handler';
import swapVariant from './swap-variant/handler';
import sweepGifts from './sweep-gifts/handler';
import viewClaim from './view-claim/handler';
import viewDraw from './view-draw/handler';
import wechatpayNotify from './wechatpay-notify/handler';

export const FUNCTIONS = defineFunctions([
  httpFunction('get-profile', getProfile),
  httpFunction('set-profile', setProfile),
  httpFunction('list-products', listProducts),
  httpFunction('create-gift', createGift),
  httpFunction('pay-gift', payGift),
  httpFunction('reissue-claim-link', reissueClaimLink),
  httpFunction('cancel-gift', cancelGift),
  httpFunction('get-gift', getGift),
  httpFunction('list-gifts', listGifts),
  httpFunction('view-claim', viewClaim),
  httpFunction('preview-claim', previewClaim, {
    description: "A claim link's public preview (no sign-in), limited per client address",
    // Reached signed out: a path of its own, without CloudBase auth (the gateway at /songli requires it).
    cloudbasePath: '/songli-preview',
  }),
  httpFunction('claim-gift', claimGift),
  httpFunction('enter-lottery', enterLottery),
  httpFunction('view-draw', viewDraw),
  httpFunction('set-address', setAddress),
  httpFunction('swap-variant', swapVariant),
  httpFunction('accept-gift', acceptGift),
  httpFunction('decline-gift', declineGift),
  httpFunction('send-thanks', sendThanks),
  httpFunction('fulfillment-events', fulfillmentEvents, {
    description: 'Merchant callbacks (shipped/delivered), authenticated by their HMAC signature instead of a user token',
    cloudbasePath: '/songli-callbacks',
  }),
  httpFunction('wechatpay-notify', wechatpayNotify, {
    description: 'WeChat Pay payment and refund notifications, authenticated by their WeChat Pay signature instead of a user token',
    cloudbasePath: '/songli-wechatpay',
  }),
  // Sign-in and the app's own token issuer: AWS (the JWT authorizer trusts it) and local; CloudBase knows WX_OPENID.
  httpFunction('auth-wechat', authWechat, {
    description: "WeChat login: a wx.login code becomes the app's own RS256 token",
    targets: ['aws'],
    requires: ['AUTH_JWT_PRIVATE_KEY', 'WECHAT_APPID', 'WECHAT_APP_SECRET'],
  }),
  httpFunction('openid-configuration', openIdConfiguration, {
    description: "OpenID discovery of the app's token issuer, read by the JWT authorizer",
    targets: ['aws'],
    requires: ['AUTH_JWT_PRIVATE_KEY'],
  }),
  httpFunction('jwks', jwks, {
    description: "Public keys of the app's tokens",
    targets: ['aws'],
    requires: ['AUTH_JWT_PRIVATE_KEY'],
  }),
  // The cleanup runs before the dispatchers (locally, in this order) so the effects it records go out in the same pass.
  scheduledFunction('sweep-gifts', sweepGifts, {
    description: 'Expires gifts not accepted within 24 h (refund recorded) and cancels unpaid ones',
    everyMinutes: 1,
    timeoutSeconds: 300,
    localGroup: 'cleanup',
  }),
  // First deliveries on AWS: right after the write that recorded them, from the tables' streams. The dispatchers below
  // remain for retries whose backoff is due and as the safety net (CloudBase, timers only, drains with them).
  streamFunction('dispatch-stream', dispatchStream, {
    description: "Delivers the effects a write just recorded, from the gifts and parts tables' change streams",
    tables: ['GiftsTable', 'PartsTable'],
    timeoutSeconds: 60,
    batchSize: 100,
    maximumBatchingWindowSeconds: 1,
    parallelizationFactor: 4,
    maximumRetryAttempts: 5,
    // timerKinds (a string set) names the kinds with a pending effect; a set matches when any member is listed. Items
    // waiting only for the cleanup (`sweep`), and rate-limit counters, markers, entries (no timerKinds) never invoke it.
    filterPatterns: [{ dynamodb: { NewImage: { timerKinds: { SS: ['handoff', 'refund', 'notify'] } } } }],
  }),
  scheduledFunction('dispatch-handoffs', dispatchHandoffs, {
    description: 'Delivers recorded fulfillment handoffs to FULFILLMENT_WEBHOOK_URL',
    everyMinutes: 1,
    timeoutSeconds: 120,
    localGroup: 'dispatch',
  }),
  scheduledFunction('dispatch-refunds', dispatchRefunds, {
    description: "Delivers recorded refunds to the giver's payment provider",
    everyMinutes: 1,
    timeoutSeconds: 120,
    localGroup: 'dispatch',
  }),
  scheduledFunction('dispatch-notifications', dispatchNotifications, {
    description: 'Delivers giver notifications',
    everyMinutes: 1,
    timeoutSeconds: 120,
    localGroup: 'dispatch',
  }),
  cloudbaseGateway(
    'http-api',
    '/songli',
    'CloudBase HTTP access: the whole HTTP contract at one path prefix, with the same route handlers',
  ),
]);
