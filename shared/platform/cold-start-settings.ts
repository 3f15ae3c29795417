/**
 * Settings for a deployed function's cold start, imported first by every platform edge (lambda-*.ts, cloudbase-*.ts)
 * so they hold before any schema is built.
 *
 * zod compiles each object schema to a specialised parser (`new Function`) on its first parse. A warm server gains from
 * that; a cold instance pays it on its first request (~6 ms for the config and one route's input, BENCHMARKS.md "Cold
 * start") for parses that are microseconds either way. The local server keeps the compiled parsers.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
