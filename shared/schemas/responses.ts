/**
 * The shapes of every success body, as zod schemas. The OpenAPI document describes responses with them, the route
 * handlers' return types are checked against them at compile time (shared/http/route.ts), the tests validate real
 * responses with them (strict objects: an extra field, such as an address in the giver's view, fails), and the pages
 * take their types from them. One definition, so the document cannot drift from what the API sends.
 */
import * as z from 'zod/mini';
import { GIFT_STATUSES } from '../domain/gift';
import { withMeta } from './schema-meta';

const Time = z.iso.datetime();
const NullableTime = z.nullable(Time);
const Fen = z.number().check(z.int(), z.nonnegative());
const Attrs = z.record(z.string(), z.string());

export const GiftStatus = z.enum(GIFT_STATUSES);
const ProductRef = z.strictObject({ id: z.string(), title: z.string() });
const SkuRef = z.strictObject({ id: z.string(), attrs: Attrs });
const SwapRecord = z.strictObject({ fromSkuId: z.string(), toSkuId: z.string(), at: Time });

export const EffectProgress = z.strictObject({
  status: z.enum(['pending', 'done', 'failed', 'canceled']),
  attempts: z.number().check(z.int(), z.nonnegative()),
  nextAttemptAt: NullableTime,
  lastError: z.nullable(z.string()),
  completedAt: NullableTime,
});

export const Shipment = z.strictObject({
  status: z.enum(['shipped', 'delivered']),
  carrier: z.nullable(z.string()),
  trackingNumber: z.nullable(z.string()),
  shippedAt: NullableTime,
  deliveredAt: NullableTime,
});

/** The recipient's thank-you note. */
export const Thanks = z.strictObject({ message: z.string(), sentAt: Time });
/** The giver's display name as it was when the gift was created, or null when none was set. */
const GiverName = z.nullable(z.string());

export const Address = z.strictObject({
  name: z.string(),
  phone: z.string(),
  regionCode: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
});

/** `single`: one friend (1:1); `group`: 群发礼物, N units first come; `lottery`: 群礼物抽奖, N winners drawn. */
export const GiftMode = z.enum(['single', 'group', 'lottery']);
const Count = z.number().check(z.int(), z.nonnegative());

/**
 * A lottery as anyone holding the link sees it (docs/group-gifts.md, "The fair draw"): the commitment from creation
 * on, the seed and the result once drawn. The caller's own entrant hash and salt let them find and recompute their
 * line in the published list; nobody else's identity is in it.
 */
export const LotteryCard = z.strictObject({
  drawAt: Time,
  /** Entries so far (before the draw), or the number the draw counted. */
  entrants: Count,
  commitment: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  drawn: z.boolean(),
  drawnAt: NullableTime,
  /** Revealed once drawn: SHA-256 of its bytes is `commitment`. */
  seed: z.optional(z.string()),
  /** Once drawn, for an entrant: whether they won a unit. */
  won: z.optional(z.boolean()),
  /** How many units were drawn (min(quantity, entrants)); null before the draw. */
  winners: z.nullable(Count),
  entered: z.boolean(),
  entrantHash: z.nullable(z.string()),
  salt: z.nullable(z.string()),
});

/** One unit of a group order as its giver sees it: its state, never who holds it or where it ships. */
export const UnitProgress = z.strictObject({
  unitNo: Count,
  status: z.enum(['free', 'claimed', 'accepted', 'declined', 'expired']),
  sku: z.strictObject({ id: z.string(), attrs: Attrs }),
  addressProvided: z.boolean(),
  claimedAt: NullableTime,
  acceptedAt: NullableTime,
  /** In a refund batch (its money is on its way back, or back). */
  refunded: z.boolean(),
  handoff: z.nullable(EffectProgress),
});

/** A group order's progress for its giver: units, refund batches and (lottery) the draw. */
export const GroupProgress = z.strictObject({
  status: z.enum(['awaiting_payment', 'sent', 'settled', 'canceled']),
  unitsTaken: Count,
  unitsAccepted: Count,
  unitsRefunded: Count,
  refundedFen: Fen,
  /** Each unit; null in lists (read on the gift's own page). */
  units: z.nullable(z.array(UnitProgress)),
  refunds: z.array(
    z.strictObject({
      batchNo: Count,
      unitNos: z.array(Count),
      amountFen: Fen,
      reason: z.enum(['declined', 'expired', 'canceled']),
      status: z.enum(['pending', 'done', 'failed', 'canceled']),
      createdAt: Time,
      completedAt: NullableTime,
    }),
  ),
  lottery: z.nullable(LotteryCard),
});

/** What the giver sees: progress of the handoff and refund, never the recipient's name, phone or address. */
export const GiverGift = z.strictObject({
  id: z.string(),
  status: GiftStatus,
  mode: GiftMode,
  /** Units bought: 1 for a 1:1 gift. */
  quantity: z.number().check(z.int(), z.positive()),
  /** What the payment charges: quantity × priceFen. */
  amountFen: Fen,
  product: ProductRef,
  sku: SkuRef,
  originalSkuId: z.string(),
  priceFen: Fen,
  message: z.nullable(z.string()),
  giverName: GiverName,
  thanks: z.nullable(Thanks),
  createdAt: Time,
  paymentDueAt: NullableTime,
  paidAt: NullableTime,
  sentAt: NullableTime,
  expiresAt: NullableTime,
  claimedAt: NullableTime,
  acceptedAt: NullableTime,
  declinedAt: NullableTime,
  expiredAt: NullableTime,
  canceledAt: NullableTime,
  recipient: z.nullable(z.strictObject({ claimed: z.literal(true), addressProvided: z.boolean() })),
  swaps: z.array(SwapRecord),
  handoff: z.nullable(EffectProgress),
  shipment: z.nullable(Shipment),
  refund: z.nullable(
    z.extend(EffectProgress, {
      reason: z.enum(['declined', 'expired', 'canceled']),
      /** `payment_closed`: nothing had been charged; the payment order was closed (amountFen 0). */
      outcome: z.nullable(z.enum(['refunded', 'payment_closed'])),
      /** The payment provider's word: processing, succeeded, or abnormal / closed (the refund failed: an operator acts). */
      providerStatus: z.nullable(z.enum(['processing', 'succeeded', 'abnormal', 'closed'])),
      amountFen: Fen,
    }),
  ),
  /** A group order's units, refunds and draw; null for a 1:1 gift. */
  group: z.nullable(GroupProgress),
});

/** The giver's view plus the live claim link's token: set while the gift is sent and unclaimed, else null. */
export const GiverGiftWithLink = z.extend(GiverGift, { claimToken: z.nullable(z.string()) });

/**
 * The arguments of wx.requestPayment (JSAPI): what the giver's wallet confirms. `appId` is the one paySign signs: an H5
 * page in WeChat passes it to WeixinJSBridge's getBrandWCPayRequest; a mini program's wx.requestPayment ignores it.
 */
export const PayParams = z.strictObject({
  appId: z.string(),
  timeStamp: z.string().check(z.regex(/^\d{10}$/)),
  nonceStr: z.string().check(z.maxLength(32)),
  package: z.string().check(z.startsWith('prepay_id=')),
  signType: z.literal('RSA'),
  paySign: z.string(),
});

/** The gift card behind a claim link: never a price or an amount. */
export const ClaimCard = z.strictObject({
  id: z.string(),
  status: GiftStatus,
  viewer: z.enum(['recipient', 'giver', 'guest']),
  claimedBySomeoneElse: z.boolean(),
  product: ProductRef,
  sku: SkuRef,
  alternatives: z.array(z.strictObject({ skuId: z.string(), attrs: Attrs, inStock: z.boolean() })),
  message: z.nullable(z.string()),
  giverName: GiverName,
  /** The recipient's own thank-you note (null for anyone else, and until sent). */
  thanks: z.nullable(Thanks),
  sentAt: NullableTime,
  expiresAt: NullableTime,
  claimedAt: NullableTime,
  acceptedAt: NullableTime,
  address: z.nullable(Address),
  swaps: z.array(SwapRecord),
  shipment: z.nullable(Shipment),
  mode: GiftMode,
  quantity: z.number().check(z.int(), z.positive()),
  /** Units someone holds (group: claimed; lottery: drawn winners; 1:1: 0 or 1). */
  unitsTaken: Count,
  /** The caller's own unit of a group order (the card's state, style and address are that unit's); else null. */
  unit: z.nullable(z.strictObject({ unitNo: Count })),
  lottery: z.nullable(LotteryCard),
});

/** A gift in the recipient's list: no price. */
export const ReceivedGift = z.strictObject({
  id: z.string(),
  status: GiftStatus,
  product: ProductRef,
  sku: SkuRef,
  message: z.nullable(z.string()),
  giverName: GiverName,
  expiresAt: NullableTime,
  claimedAt: NullableTime,
  acceptedAt: NullableTime,
  address: z.nullable(Address),
  shipment: z.nullable(Shipment),
  thanks: z.nullable(Thanks),
});

/** A claim link as anyone may see it, signed in or not: nothing private (no message, price, style or recipient). */
export const ClaimPreview = z.strictObject({
  giverName: GiverName,
  product: z.strictObject({ title: z.string() }),
  /** Still waiting to be claimed: sent, not claimed, not expired. */
  open: z.boolean(),
});

/** The caller's profile. */
export const Profile = z.strictObject({ displayName: z.nullable(z.string()) });

export const CatalogProduct = z.strictObject({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  /** 支持送礼物: at least one style may be sent as a gift. */
  giftable: z.boolean(),
  skus: z.array(z.strictObject({ id: z.string(), attrs: Attrs, priceFen: Fen, listPriceFen: Fen, stock: z.number().check(z.int()) })),
});

const Cursor = withMeta(z.nullable(z.string()), { description: 'Pass back as `cursor` for the next page; null on the last page' });

export const ProductsBody = z.strictObject({ products: z.array(CatalogProduct) });
export const GiverGiftWithLinkBody = z.strictObject({ gift: GiverGiftWithLink });
/** POST /gifts/:id/pay: the gift, and while the payment is awaited, what wx.requestPayment needs (null once paid). */
/** POST /gifts: the gift and, with WeChat Pay, its order opened with it (null: pay through POST /gifts/:id/pay). */
export const CreateGiftResponse = z.strictObject({ gift: GiverGift, payment: z.nullable(PayParams) });
export const PayGiftBody = z.strictObject({ gift: GiverGiftWithLink, payment: z.nullable(PayParams) });
export const ClaimCardBody = z.strictObject({ gift: ClaimCard });
/**
 * GET /claims/:token/draw: the published draw, what scripts/verify-draw.ts checks. Entrants are salted hashes, sorted;
 * winners in rank order (unit k went to winners[k]).
 */
export const DrawRecordBody = z.strictObject({
  draw: z.strictObject({
    orderId: z.string(),
    quantity: z.number().check(z.int(), z.positive()),
    drawAt: Time,
    commitment: z.string(),
    seed: z.string(),
    entrants: z.array(z.string()),
    entrantsDigest: z.string(),
    winners: z.array(z.string()),
  }),
});
export const ClaimPreviewBody = z.strictObject({ preview: ClaimPreview });
export const ProfileBody = z.strictObject({ profile: Profile });
export const SentGiftsBody = z.strictObject({ gifts: z.array(GiverGift), cursor: Cursor });
export const ReceivedGiftsBody = z.strictObject({ gifts: z.array(ReceivedGift), cursor: Cursor });
export const GiftListBody = z.union([SentGiftsBody, ReceivedGiftsBody]);
export const FulfillmentEventResult = z.strictObject({ giftId: z.string(), status: GiftStatus, shipment: z.nullable(Shipment) });

/** 204: no body. */
export const NoContent = z.undefined();

export const DevLoginResult = z.strictObject({ token: z.string() });
/** What a local receiver got, e.g. `{ fulfillments: [...] }`: records with a `giftId` each. */
export const DevJournalBody = z.record(z.string(), z.array(z.unknown()));
export const DevWechatBody = z.strictObject({ standinUrl: z.nullable(z.string()) });
export const DevMaintenanceResult = z.looseObject({ sweep: z.unknown(), dispatched: z.unknown() });

export type GiverGift = z.infer<typeof GiverGift>;
export type GiverGiftWithLink = z.infer<typeof GiverGiftWithLink>;
export type ClaimCard = z.infer<typeof ClaimCard>;
export type ReceivedGift = z.infer<typeof ReceivedGift>;
export type ClaimPreview = z.infer<typeof ClaimPreview>;
export type Profile = z.infer<typeof Profile>;
export type CatalogProduct = z.infer<typeof CatalogProduct>;
export type Shipment = z.infer<typeof Shipment>;
export type EffectProgress = z.infer<typeof EffectProgress>;
export type LotteryCard = z.infer<typeof LotteryCard>;
export type GroupProgress = z.infer<typeof GroupProgress>;
export type UnitProgress = z.infer<typeof UnitProgress>;
export type GiftMode = z.infer<typeof GiftMode>;
