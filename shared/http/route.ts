import type { Context } from 'hono';
import type * as z from 'zod/mini';
import type { Deps } from '../ports/deps';
import type { Operation } from './contract';
import type { DevServices } from './dev-services';
import type { OperationResponses } from './operation-responses';

type Out<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** The operation's success body schema (./operation-responses.ts); an operation outside the contract (a test fixture's) has none. */
type ResponseSchema<O extends Operation> = O['id'] extends keyof OperationResponses ? OperationResponses[O['id']] : z.ZodMiniType;

/** `/gifts/:id/pay` → `{ id: string }`: path parameters typed from the operation's path. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, string>;

export interface RouteContext<O extends Operation> {
  c: Context;
  deps: Deps;
  /** The authenticated caller ('' on auth: 'none' routes, 'merchant' on signed ones). */
  callerId: string;
  params: PathParams<O['path']>;
  body: Out<O['body']>;
  query: Out<O['query']>;
  /** The body exactly as received, for operations with `rawBody` (signatures over the exact bytes); else ''. */
  raw: string;
  /**
   * The limiter's key for where the request came from (shared/http/client-address.ts): an IPv4 address or an IPv6
   * /64, or 'unknown' when the platform does not say (then every such caller shares one counter).
   */
  clientAddress(): Promise<string>;
  dev: DevServices | null;
}

/** A success body must be what the operation's response schema says (checked by tsc; tests parse real ones). */
export interface RouteResult<O extends Operation = Operation> {
  body: z.input<ResponseSchema<O>>;
  headers?: Record<string, string>;
}

/** A route answers with a promise, or at once when it has everything at hand (the edge then answers at once too). */
export type RouteAnswer<O extends Operation = Operation> = Promise<RouteResult<O>> | RouteResult<O>;

/** Refuses a request whose signature does not hold, by throwing (a 'signature' route's check: ./signed-route.ts). */
export type RequestVerifier = (c: Context, raw: string, secret: string | null, now: Date) => void;

export interface Route<O extends Operation = Operation> {
  op: O;
  handle(ctx: RouteContext<O>): RouteAnswer<O>;
  /** Set on 'signature' routes, and only there: the edge runs it on the raw body before anything else. */
  verify?: RequestVerifier;
}

/** Any route, whatever its operation (tables of routes hold these). */
// biome-ignore lint/suspicious/noExplicitAny: a table holds routes of different operations
export type AnyRoute = Route<any>;

/** Binds a contract operation to the code that serves it ('signature' operations: signedRoute, ./signed-route.ts). */
export const route = <O extends Operation & { auth: 'user' | 'none' }>(
  op: O,
  handle: (ctx: RouteContext<O>) => RouteAnswer<O>,
): Route<O> => ({
  op,
  handle,
});
