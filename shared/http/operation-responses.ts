/**
 * The success body's schema of each contract operation, by operation id. Part of the contract, kept apart from
 * ./contract.ts because no deployed function reads it: a handler's answer is checked by tsc (`RouteResult`), and the
 * schemas are read only by the OpenAPI document (./openapi.ts), the test harness (every test answer is parsed with
 * them) and the pages' types (`ResponseOf`). An object literal holding them in each operation kept them, and the zod
 * code they use, in every bundle (~10 KB of each); here esbuild leaves them out.
 */
import type * as z from 'zod/mini';
import { AuthTokenResult, JwksBody, OpenIdConfigurationBody } from '../schemas/auth';
import {
  ClaimCardBody,
  ClaimPreviewBody,
  CreateGiftResponse,
  DevJournalBody,
  DevLoginResult,
  DevMaintenanceResult,
  DevWechatBody,
  DrawRecordBody,
  FulfillmentEventResult,
  GiftListBody,
  GiverGiftWithLinkBody,
  NoContent,
  PayGiftBody,
  ProductsBody,
  ProfileBody,
} from '../schemas/responses';
import type { operations } from './operations';

export const operationResponses = {
  getProfile: ProfileBody,
  setProfile: ProfileBody,
  listProducts: ProductsBody,
  createGift: CreateGiftResponse,
  payGift: PayGiftBody,
  reissueClaimLink: GiverGiftWithLinkBody,
  cancelGift: GiverGiftWithLinkBody,
  getGift: GiverGiftWithLinkBody,
  listGifts: GiftListBody,
  viewClaim: ClaimCardBody,
  previewClaim: ClaimPreviewBody,
  claimGift: ClaimCardBody,
  enterLottery: ClaimCardBody,
  viewDraw: DrawRecordBody,
  setAddress: ClaimCardBody,
  swapVariant: ClaimCardBody,
  acceptGift: ClaimCardBody,
  declineGift: ClaimCardBody,
  sendThanks: ClaimCardBody,
  fulfillmentEvent: FulfillmentEventResult,
  wechatpayNotify: NoContent,
  wechatLogin: AuthTokenResult,
  openIdConfiguration: OpenIdConfigurationBody,
  jwks: JwksBody,
  devLogin: DevLoginResult,
  devWechat: DevWechatBody,
  devFulfillments: DevJournalBody,
  devRefunds: DevJournalBody,
  devNotifications: DevJournalBody,
  devSweep: DevMaintenanceResult,
} as const satisfies { readonly [K in keyof typeof operations]: z.ZodMiniType };

export type OperationResponses = typeof operationResponses;

/** The success body's schema of a contract operation, looked up by id (an operation outside the contract has none). */
export function responseSchemaOf(op: { id: string }): z.ZodMiniType {
  if (!Object.hasOwn(operationResponses, op.id))
    throw new Error(`no response schema for operation ${op.id} (shared/http/operation-responses.ts)`);
  return operationResponses[op.id as keyof OperationResponses];
}
