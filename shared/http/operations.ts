/**
 * The HTTP contract as one table: every route's method, path, auth, schemas and errors. The router, the OpenAPI
 * document and the tests read it, so they cannot drift apart. The operations themselves live in ./contract.ts (one
 * constant each); deployed functions import only their own, never this table.
 */

import type { Operation } from './contract';
import * as contract from './contract';

export type { Operation } from './contract';

export const operations = {
  getProfile: contract.getProfile,
  setProfile: contract.setProfile,
  listProducts: contract.listProducts,
  createGift: contract.createGift,
  payGift: contract.payGift,
  reissueClaimLink: contract.reissueClaimLink,
  cancelGift: contract.cancelGift,
  getGift: contract.getGift,
  listGifts: contract.listGifts,
  viewClaim: contract.viewClaim,
  previewClaim: contract.previewClaim,
  claimGift: contract.claimGift,
  enterLottery: contract.enterLottery,
  viewDraw: contract.viewDraw,
  setAddress: contract.setAddress,
  swapVariant: contract.swapVariant,
  acceptGift: contract.acceptGift,
  declineGift: contract.declineGift,
  sendThanks: contract.sendThanks,
  fulfillmentEvent: contract.fulfillmentEvent,
  wechatpayNotify: contract.wechatpayNotify,
  wechatLogin: contract.wechatLogin,
  openIdConfiguration: contract.openIdConfiguration,
  jwks: contract.jwks,
  devLogin: contract.devLogin,
  devWechat: contract.devWechat,
  devFulfillments: contract.devFulfillments,
  devRefunds: contract.devRefunds,
  devNotifications: contract.devNotifications,
  devSweep: contract.devSweep,
} satisfies Record<string, Operation>;
