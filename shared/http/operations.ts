/**
 * The HTTP contract as one table: every route's method, path, auth and input schemas. The router and the
 * OpenAPI document are both built from it, so they cannot drift apart. The operations themselves live in
 * ./contract.ts (one constant each); deployed functions import only their own, never this table.
 */
import * as z from 'zod';
import * as contract from './contract';
import type { Operation } from './contract';

export type { Operation } from './contract';

export const operations = {
  listProducts: contract.listProducts,
  createGift: contract.createGift,
  payGift: contract.payGift,
  reissueClaimLink: contract.reissueClaimLink,
  getGift: contract.getGift,
  listGifts: contract.listGifts,
  viewClaim: contract.viewClaim,
  claimGift: contract.claimGift,
  setAddress: contract.setAddress,
  swapVariant: contract.swapVariant,
  acceptGift: contract.acceptGift,
  declineGift: contract.declineGift,
  fulfillmentEvent: contract.fulfillmentEvent,
  devLogin: contract.devLogin,
  devFulfillments: contract.devFulfillments,
  devRefunds: contract.devRefunds,
  devNotifications: contract.devNotifications,
  devSweep: contract.devSweep,
} satisfies Record<string, Operation>;

export type OperationId = keyof typeof operations;

/** Path parameters are validated like bodies; claim tokens are checked inside (any mismatch is a 404). */
export const GiftIdParam = z.object({ id: z.string() });
