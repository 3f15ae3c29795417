/**
 * A deploy bundle's pino carries only pino-std-serializers' `err` serializer (build/esbuild-plugins.cjs): errors are
 * written exactly as the unbundled logger writes them (causes, aggregates, their own fields), line for line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bundleEntry, ROOT } from '../../build/bundle';
import { createLogger } from '../../shared/adapters/system/pino-logger';

type MakeLogger = typeof createLogger;
const OUT = join(ROOT, 'test-artifacts', 'bundled-error-logs');

/** The errors a function may log: a cause chain, a VError-style cause, a circular cause, an aggregate, own fields. */
function errors(): Error[] {
  const chained = new Error('outer', { cause: new TypeError('inner', { cause: new Error('root') }) });
  const called = new Error('called cause');
  const verror = Object.assign(new Error('verror'), { cause: () => called });
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as Error & { cause: unknown }).cause = b;
  const aggregate = new AggregateError([new Error('first'), new RangeError('second')], 'many');
  const fields = Object.assign(new Error('with fields'), { code: 'E_CODE', status: 503, inner: new Error('nested'), raw: 'x' });
  return [chained, verror, b, aggregate, fields];
}

/**
 * Each line the logger writes for the errors (the same objects for both loggers, so the same stacks), its time
 * removed (the one field that differs between two runs).
 */
function lines(make: MakeLogger, logged: readonly Error[]): unknown[] {
  const written: string[] = [];
  const destination = new Writable({
    write(chunk, _, done) {
      written.push(String(chunk));
      done();
    },
  });
  const logger = make({ destination, base: { platform: 'test' } });
  for (const err of logged) logger.error({ err }, 'failed');
  return written.map((line) => ({ ...JSON.parse(line), time: undefined }));
}

describe('errors in a deploy bundle’s log lines', () => {
  it('are written as the unbundled logger writes them', async () => {
    mkdirSync(OUT, { recursive: true });
    const entry = join(OUT, 'entry.ts');
    writeFileSync(entry, "export { createLogger } from '../../shared/adapters/system/pino-logger';\n");
    const file = join(OUT, 'logger.cjs');
    await bundleEntry(entry, 'aws', file);
    const bundled = createRequire(import.meta.url)(file) as { createLogger: MakeLogger };
    const logged = errors();
    const expected = lines(createLogger, logged);
    expect(expected).toHaveLength(5);
    expect(expected[0]).toMatchObject({ err: { type: 'Error', message: 'outer: inner: root' } });
    expect(lines(bundled.createLogger, logged)).toEqual(expected);
  });
});
