/**
 * The slice of @cloudbase/node-sdk's document-database API that CloudbaseGiftStore uses, written as
 * structural types so the adapter never loads the SDK (entry points lazy-load it and pass `app.database()`
 * in; tests pass an in-process stand-in). The live test assigns the real `Db` to `CloudbaseDb`, so tsc
 * proves the real SDK still fits this shape.
 *
 * Shapes below were read from the SDK source shipped in node_modules (node-sdk 3.18.3, database 1.4.3):
 * - `doc(id).get()` resolves `{ data: [doc] }` (an array, empty when absent): database/src/document.ts `get`.
 * - `add(obj)` resolves `{ id }`: database/src/collection.ts `add` (`res.data.insertedIds[0]`).
 * - `where(q).update(d)` resolves `{ updated }`: database/src/query.ts `update`. It is sent with
 *   `merge: true`: plain nested objects are flattened to dotted `$set` paths, so only `command.set(value)`
 *   replaces a field whole, and `command.remove()` becomes `$unset` (database/src/serializer/update.ts).
 * - `where(q)` replaces (does not AND with) an earlier filter; `limit` defaults to 100 and is capped at
 *   1000 per `get()`; `orderBy` calls accumulate: database/src/query.ts.
 * - Failures reject with a TcbError carrying `code`, `message`, `requestId`
 *   (node-sdk/src/utils/tcbapirequester.ts `request` → utils.ts `processReturn`). After the process-wide
 *   `setThrowOnCode(false)` they resolve as `{ code, message }` instead, hence the optional `code` below.
 */

/** A command object (`_.lte(x)`, `_.set(v)`, ...). Opaque: only the database interprets it. */
export type DbCommand = object;

export interface DbFailure {
  /** Present only when the SDK runs with setThrowOnCode(false) and the call failed. */
  code?: string;
  message?: string;
}

export interface DbGetResult extends DbFailure {
  data: Array<Record<string, unknown>>;
}

export interface DbAddResult extends DbFailure {
  id?: string;
}

export interface DbUpdateResult extends DbFailure {
  /** Documents modified (0 when the filter matched nothing). */
  updated?: number;
}

export interface CloudbaseQuery {
  where(query: Record<string, unknown>): CloudbaseQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): CloudbaseQuery;
  limit(max: number): CloudbaseQuery;
  get(): Promise<DbGetResult>;
  update(data: Record<string, unknown>): Promise<DbUpdateResult>;
}

export interface CloudbaseCollection extends CloudbaseQuery {
  doc(id: string): { get(): Promise<DbGetResult> };
  add(data: Record<string, unknown>): Promise<DbAddResult>;
}

export interface CloudbaseCommand {
  eq(value: unknown): DbCommand;
  lt(value: unknown): DbCommand;
  lte(value: unknown): DbCommand;
  gt(value: unknown): DbCommand;
  in(values: unknown[]): DbCommand;
  set(value: unknown): DbCommand;
  remove(): DbCommand;
  /** The field is present (`true`) or absent (`false`). */
  exists(present: boolean): DbCommand;
  /** Both conditions on one field: `_.and(_.gt(a), _.lte(b))` (rendered `{ $and: [...] }`). */
  and(...conditions: DbCommand[]): DbCommand;
  /** Atomic increment of a numeric field (`$inc`). */
  inc(n: number): DbCommand;
}

/** What `app.database()` returns, as far as the gift store is concerned. */
export interface CloudbaseDb {
  collection(name: string): CloudbaseCollection;
  readonly command: CloudbaseCommand;
}

/** Documented service error code for a write that collides on `_id` (or another unique index):
 * https://docs.cloudbase.net/en/error-code/DATABASE_DUPLICATE_WRITE. The SDK itself defines no such
 * constant; the service sends it and the SDK passes it through as `error.code`. */
export const DUPLICATE_WRITE_CODE = 'DATABASE_DUPLICATE_WRITE';
