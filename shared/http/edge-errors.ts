import type { ValidationIssue } from '../domain/errors';

/** Codes only the HTTP edge produces: transport, authentication, validation of raw input, and the catch-alls. */
export const EDGE_ERROR_CODES = [
  'MALFORMED_JSON',
  'UNAUTHENTICATED',
  'WEBHOOK_SIGNATURE_MISSING',
  'WEBHOOK_SIGNATURE_INVALID',
  'WEBHOOK_TIMESTAMP_STALE',
  'WECHATPAY_NOTIFICATION_REFUSED',
  'WECHATPAY_NOTIFICATION_MISMATCH',
  'DEV_ROUTES_DISABLED',
  'CALLBACKS_DISABLED',
  'ROUTE_NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
  'INTERNAL',
  'DEPENDENCY_UNAVAILABLE',
] as const;
export type EdgeErrorCode = (typeof EDGE_ERROR_CODES)[number];

/** A request the edge refuses before (or instead of) reaching a use case. */
export class EdgeError extends Error {
  readonly expose = true;
  constructor(
    readonly code: EdgeErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'EdgeError';
  }
}

/** The client went away before its request body arrived: nobody is left to answer, and nothing failed on our side. */
export class ClientAbortError extends Error {
  constructor(cause: unknown) {
    super('the client closed the connection before sending the whole request', { cause });
    this.name = 'ClientAbortError';
  }
}
