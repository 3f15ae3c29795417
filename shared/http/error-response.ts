import { AppError, isAppError } from '../domain/errors';
import type { Logger } from '../ports/logger';

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** The one place errors become HTTP: AppErrors keep their status and code; anything else is a logged 500 without details. */
export function toErrorResponse(err: unknown, logger: Logger): { status: number; body: ErrorBody } {
  const appError = isAppError(err) ? err : null;
  if (!appError) {
    logger.error({ err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) }, 'unhandled error');
    const internal = new AppError('INTERNAL', 'internal error');
    return { status: internal.status, body: { error: { code: internal.code, message: internal.message } } };
  }
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  if (appError.issues) body.error.issues = appError.issues;
  return { status: appError.status, body };
}
