/**
 * A service songli depends on (the store, the merchant's API, a webhook receiver) failed or could not be reached.
 * Adapters throw it (or a subclass) with the original error as `cause`; the HTTP edge answers 503
 * DEPENDENCY_UNAVAILABLE, dispatchers retry. Its message is for logs, never shown to a caller.
 */
export class DependencyError extends Error {
  readonly expose = false;
  constructor(
    readonly dependency: string,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DependencyError';
  }
}
