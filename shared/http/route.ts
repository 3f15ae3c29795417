import type { Context } from 'hono';
import type * as z from 'zod';
import type { Deps } from '../ports/deps';
import type { DevServices } from './dev-services';
import type { Operation } from './contract';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<O extends Operation> {
  c: Context;
  deps: Deps;
  /** The authenticated caller ('' on auth: 'none' routes). */
  callerId: string;
  params: Record<string, string>;
  body: Out<O['body']>;
  query: Out<O['query']>;
  dev: DevServices | null;
}

export interface RouteResult {
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route<O extends Operation = Operation> {
  op: O;
  handle(ctx: RouteContext<O>): Promise<RouteResult>;
}

/** Binds a contract operation to the code that serves it. */
export const route = <O extends Operation>(op: O, handle: (ctx: RouteContext<O>) => Promise<RouteResult>): Route => ({ op, handle }) as unknown as Route;
