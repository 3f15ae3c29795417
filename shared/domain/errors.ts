/**
 * The domain's error vocabulary: a stable code per failure a caller can cause, and nothing about transports.
 * The HTTP layer (shared/http/error-status.ts) decides what status each code answers with.
 */

export const DOMAIN_ERROR_CODES = [
  'CANNOT_CLAIM_OWN_GIFT',
  'NOT_RECIPIENT',
  'GIFT_NOT_FOUND',
  'SKU_NOT_FOUND',
  'OUT_OF_STOCK',
  'ALREADY_CLAIMED',
  'ALREADY_ACCEPTED',
  'GIFT_DECLINED',
  'GIFT_CANCELED',
  'GIFT_NOT_PAID',
  'GIFT_NOT_ACCEPTED',
  'GIFT_ALREADY_PAID',
  'THANKS_ALREADY_SENT',
  'WEBHOOK_REPLAYED',
  'CONCURRENT_UPDATE',
  'GIFT_EXPIRED',
  'GIFT_INELIGIBLE',
  'VARIANT_NOT_SAME_PRICE',
  'VARIANT_NOT_SAME_PRODUCT',
  'ADDRESS_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_CURSOR',
  'RATE_LIMITED',
  'WECHAT_LOGIN_FAILED',
  'WECHAT_LOGIN_DISABLED',
  // Group orders (群发礼物 / 群礼物抽奖): every unit already has its person; the lottery no longer takes entries.
  'ALL_CLAIMED',
  'DRAW_CLOSED',
  'NOT_DRAWN',
  'INVALID_GROUP_ORDER',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * A failure the caller caused or must be told about, Middy-style: `expose` says the message may be shown to the
 * client (true for every AppError); `cause` keeps the underlying error for the logs.
 */
export class AppError extends Error {
  readonly expose = true;
  readonly issues: ValidationIssue[] | undefined;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    opts: { issues?: ValidationIssue[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.issues = opts.issues;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
