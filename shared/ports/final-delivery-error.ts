/**
 * A receiver refused an effect for good (a refund answered NOT_ENOUGH or USER_ACCOUNT_ABNORMAL, a notice with data
 * the template rejects): retrying with the same key cannot help. Dispatchers mark the effect failed at once, with
 * the code, for an operator to see; any other error is retried with backoff.
 */
export class FinalDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FinalDeliveryError';
  }
}
