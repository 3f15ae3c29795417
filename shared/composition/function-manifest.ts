/**
 * What a deployable function is, as data. functions/manifest.ts lists every one; from that list come the local
 * server's routes and timers, each function's Lambda and CloudBase entry, serverless.yml's `functions:` and
 * cloudbaserc.json (scripts/gen.ts, `npm run gen`). Adding a route or a job is one entry there plus its handler.
 */
import type { CommonConfig } from '../config/common-config';
import type { AnyRoute } from '../http/route';
import type { ChangeConsumer } from '../jobs/change-consumer';
import type { Job } from '../jobs/job';

/** A cloud a function is deployed to; the local server serves and schedules every function. */
export type DeployTarget = 'aws' | 'cloudbase';
export const DEPLOY_TARGETS: readonly DeployTarget[] = ['aws', 'cloudbase'];

interface FunctionBase {
  /** Folder under functions/ and the deployed function's name (lowercase, dashes). */
  name: string;
  description?: string;
  /** The module exporting the handler as default, relative to the repository root (default functions/<name>/handler.ts). */
  module?: string;
  /** Where it is deployed (default: both). The sign-in functions are AWS only: on CloudBase the caller is WX_OPENID. */
  targets?: readonly DeployTarget[];
  /** Settings this function cannot start without on AWS, beyond every function's (serverless.yml passes the list). */
  requires?: readonly (keyof CommonConfig)[];
}

export interface HttpFunction extends FunctionBase {
  kind: 'http';
  route: AnyRoute;
  /** CloudBase HTTP access path of its own (routes with auth 'signature' are reached without CloudBase auth). */
  cloudbasePath?: string;
}

export interface ScheduledFunction extends FunctionBase {
  kind: 'schedule';
  job: Job;
  everyMinutes: number;
  timeoutSeconds: number;
  /** Locally the cleanup runs every SWEEP_INTERVAL_SECONDS and dispatchers every DISPATCH_INTERVAL_SECONDS. */
  localGroup: 'cleanup' | 'dispatch';
}

/**
 * A consumer of tables' change streams (AWS only: DynamoDB Streams → Lambda; CloudBase has timers only, and locally the
 * server's in-process change feed plays it). The event source mapping's settings are data here; `npm run gen` writes
 * them into serverless.yml's functions.
 */
export interface StreamFunction extends FunctionBase {
  kind: 'stream';
  consumer: ChangeConsumer;
  /** The CloudFormation resources of the tables (serverless.yml), each with a StreamSpecification. */
  tables: readonly string[];
  timeoutSeconds: number;
  /** Records per invocation at most, and the seconds Lambda may wait to fill a batch. */
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  /** Concurrent batches per shard (records of one item stay in order). */
  parallelizationFactor: number;
  /** Retries of a failing batch (bisected) before its records are left to the scheduled pass. */
  maximumRetryAttempts: number;
  /** Lambda event filtering: only records matching one of these patterns invoke the function. */
  filterPatterns: readonly Record<string, unknown>[];
}

/**
 * CloudBase's HTTP access service routes by path prefix only (no method, no path parameters), so one function serves
 * every HTTP route at a prefix with the very same handlers; mini programs call the per-route functions directly.
 */
export interface CloudbaseGatewayFunction extends FunctionBase {
  kind: 'cloudbase-gateway';
  path: string;
}

export type FunctionDef = HttpFunction | ScheduledFunction | StreamFunction | CloudbaseGatewayFunction;

export const httpFunction = (
  name: string,
  route: AnyRoute,
  opts: Partial<Omit<HttpFunction, 'kind' | 'name' | 'route'>> = {},
): HttpFunction => ({
  kind: 'http',
  name,
  route,
  ...opts,
});

export const scheduledFunction = (name: string, job: Job, opts: Omit<ScheduledFunction, 'kind' | 'name' | 'job'>): ScheduledFunction => ({
  kind: 'schedule',
  name,
  job,
  ...opts,
});

export const streamFunction = (
  name: string,
  consumer: ChangeConsumer,
  opts: Omit<StreamFunction, 'kind' | 'name' | 'consumer' | 'targets'>,
): StreamFunction => ({ kind: 'stream', name, consumer, targets: ['aws'], ...opts });

export const cloudbaseGateway = (name: string, path: string, description: string): CloudbaseGatewayFunction => ({
  kind: 'cloudbase-gateway',
  name,
  path,
  description,
});

/** Whether a function is deployed to a target (a CloudBase gateway only to CloudBase). */
export const deploysTo = (f: FunctionDef, target: DeployTarget): boolean =>
  f.kind === 'cloudbase-gateway' ? target === 'cloudbase' : (f.targets ?? DEPLOY_TARGETS).includes(target);

/** The HTTP routes of the functions (with `target`: of those deployed there). */
export const httpRoutesOf = (fns: readonly FunctionDef[], target?: DeployTarget): AnyRoute[] =>
  fns.flatMap((f) => (f.kind === 'http' && (!target || deploysTo(f, target)) ? [f.route] : []));
export const scheduledOf = (fns: readonly FunctionDef[]): ScheduledFunction[] => fns.flatMap((f) => (f.kind === 'schedule' ? [f] : []));

/** Refuses a manifest with two functions of one name or two routes on one method and path. */
export function defineFunctions<const T extends readonly FunctionDef[]>(fns: T): T {
  const names = new Set<string>();
  const routes = new Set<string>();
  for (const f of fns) {
    if (!/^[a-z][a-z0-9-]{1,58}$/.test(f.name)) throw new Error(`function name "${f.name}" must be lowercase letters, digits and dashes`);
    if (names.has(f.name)) throw new Error(`two functions are named ${f.name}`);
    names.add(f.name);
    if (f.kind !== 'http') continue;
    const key = `${f.route.op.method.toUpperCase()} ${f.route.op.path}`;
    if (routes.has(key)) throw new Error(`two functions serve ${key}`);
    routes.add(key);
  }
  return fns;
}
