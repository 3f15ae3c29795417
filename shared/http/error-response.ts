import { AppError, type ValidationIssue } from '../domain/errors';
import { DependencyError } from '../ports/dependency-error';
import type { Logger } from '../ports/logger';
import { EdgeError } from './edge-errors';
import { ERROR_STATUS, type ErrorCode } from './error-status';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: ValidationIssue[] };
}

/** An error and its causes as plain data for the log (pino would print only the outermost). */
export function errorChain(e: unknown, depth = 0): unknown {
  if (!(e instanceof Error)) return String(e);
  const out: Record<string, unknown> = { name: e.name, message: e.message, stack: e.stack };
  if (e.cause !== undefined && depth < 4) out.cause = errorChain(e.cause, depth + 1);
  return out;
}

const body = (code: ErrorCode, message: string, issues?: ValidationIssue[]): ErrorBody => ({
  error: issues ? { code, message, issues } : { code, message },
});

/**
 * The one place errors become HTTP. Errors meant for the caller keep their code and message; a dependency outage is a
 * 503 the caller may retry (logged with its cause); anything else is a logged 500 without details.
 */
export function toErrorResponse(err: unknown, logger: Logger): { status: number; body: ErrorBody } {
  if (err instanceof AppError || err instanceof EdgeError) {
    return { status: ERROR_STATUS[err.code], body: body(err.code, err.message, err.issues) };
  }
  if (err instanceof DependencyError) {
    logger.warn({ dependency: err.dependency, err: errorChain(err) }, 'dependency unavailable');
    return {
      status: ERROR_STATUS.DEPENDENCY_UNAVAILABLE,
      body: body('DEPENDENCY_UNAVAILABLE', 'a service this request needs is unavailable; try again shortly'),
    };
  }
  logger.error({ err: errorChain(err) }, 'unhandled error');
  return { status: ERROR_STATUS.INTERNAL, body: body('INTERNAL', 'internal error') };
}
