/**
 * The one error taxonomy. Every failure a caller can cause is an AppError with a stable `code` and an HTTP
 * status; the HTTP edge maps them in one place (shared/http/error-response.ts).
 */

export const ERROR_CATALOG = {
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  CANNOT_CLAIM_OWN_GIFT: 403,
  NOT_RECIPIENT: 403,
  DEV_ROUTES_DISABLED: 403,
  CALLBACKS_DISABLED: 403,
  WEBHOOK_SIGNATURE_MISSING: 401,
  WEBHOOK_SIGNATURE_INVALID: 401,
  WEBHOOK_TIMESTAMP_STALE: 401,
  GIFT_NOT_FOUND: 404,
  SKU_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  OUT_OF_STOCK: 409,
  ALREADY_CLAIMED: 409,
  ALREADY_ACCEPTED: 409,
  GIFT_DECLINED: 409,
  GIFT_CANCELED: 409,
  GIFT_NOT_PAID: 409,
  GIFT_NOT_ACCEPTED: 409,
  WEBHOOK_REPLAYED: 409,
  CONCURRENT_UPDATE: 409,
  GIFT_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  GIFT_INELIGIBLE: 422,
  VARIANT_NOT_SAME_PRICE: 422,
  VARIANT_NOT_SAME_PRODUCT: 422,
  ADDRESS_REQUIRED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DEPENDENCY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ValidationIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_CATALOG[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Thrown by store adapters when the compare-and-set guard fails; use cases reload and retry. */
export class VersionConflictError extends Error {
  constructor(readonly giftId: string) {
    super(`gift ${giftId} was changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

/** Thrown by store adapters when inserting a gift whose id already exists. */
export class GiftExistsError extends Error {
  constructor(readonly giftId: string) {
    super(`gift ${giftId} already exists`);
    this.name = 'GiftExistsError';
  }
}
