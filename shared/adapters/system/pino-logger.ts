import { type DestinationStream, pino } from 'pino';
import type { Logger } from '../../ports/logger';

/** Keys that may hold personal data or secrets; pino replaces their values wherever they appear (two levels deep). */
const SECRET_KEYS = ['address', 'phone', 'name', 'detail', 'claimToken', 'token', 'authorization', 'cookie', 'secret'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * JSON lines on stdout (CloudWatch, CloudBase logs and a terminal all read them), personal data redacted. stdout is
 * passed as the stream rather than left to pino's default (sonic-boom on fd 1): Node writes to files, pipes and
 * terminals synchronously on Linux, as sonic-boom's sync mode did, and deploy bundles then leave sonic-boom out
 * (build/esbuild-plugins.cjs).
 */
export function createLogger(opts: { level?: string; destination?: DestinationStream; base?: object } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'songli', ...opts.base },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? process.stdout,
  );
}
