import { type DestinationStream, pino } from 'pino';
import type { Logger } from '../../ports/logger';

/** Keys that may hold personal data or secrets; their values are replaced wherever they appear (two levels deep). */
const SECRET_KEYS = new Set(['address', 'phone', 'name', 'detail', 'claimToken', 'token', 'authorization', 'cookie', 'secret']);
const CENSOR = '[redacted]';
const DEPTH = 2;

/**
 * `value` with every secret key at depth ≤ 2 censored (what pino's `redact` paths `k`, `*.k` and `*.*.k` did), copied
 * only where something is censored: the caller's object is never changed. pino's own redaction of those wildcard paths
 * cost ~22 µs a line, most of a request's CPU; a line with nothing to hide costs a few key lookups here.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (typeof value !== 'object' || value === null) return value;
  let copy: object | null = null;
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const v = source[key];
    const next = SECRET_KEYS.has(key) ? CENSOR : depth < DEPTH ? redactSecrets(v, depth + 1) : v;
    if (next === v) continue;
    copy ??= shallowCopy(source);
    Object.defineProperty(copy, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return (copy ?? value) as T;
}

/** A writable copy keeping the prototype and hidden properties (an Error's message and stack), even of a frozen object. */
function shallowCopy(value: object): object {
  if (Array.isArray(value)) return [...value];
  const descriptors = Object.getOwnPropertyDescriptors(value);
  for (const d of Object.values(descriptors)) {
    d.configurable = true;
    if ('value' in d) d.writable = true;
  }
  return Object.create(Object.getPrototypeOf(value), descriptors);
}

/**
 * JSON lines on stdout (CloudWatch, CloudBase logs and a terminal all read them), personal data redacted. stdout is
 * passed as the stream rather than left to pino's default (sonic-boom on fd 1): Node writes to files, pipes and
 * terminals synchronously on Linux, as sonic-boom's sync mode did, and deploy bundles then leave sonic-boom out
 * (build/esbuild-plugins.cjs).
 */
export function createLogger(opts: { level?: string; destination?: DestinationStream; base?: object } = {}): Logger {
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: redactSecrets({ service: 'songli', ...opts.base }),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Every line's own fields pass here before they are written.
        log: (fields) => redactSecrets(fields),
      },
    },
    opts.destination ?? process.stdout,
  );
  // A child's bindings are written on each of its lines but never pass `formatters.log`: they are censored once, here
  // (children inherit this `child` from the root, so grandchildren too).
  const pinoChild = root.child;
  root.child = function child(this: typeof root, bindings, options) {
    return pinoChild.call(this, redactSecrets(bindings), options);
  } as typeof root.child;
  return root;
}
