/**
 * STAND-IN, NOT THE REAL SDK. An in-process imitation of the part of @cloudbase/node-sdk's document
 * database typed in shared/adapters/cloudbase/cloudbase-db.ts, so CloudbaseGiftStore can run the store
 * contract offline. It copies the semantics the adapter depends on, as read from the SDK source:
 * - `add` rejects a taken `_id` with `code: 'DATABASE_DUPLICATE_WRITE'` (the service's documented code);
 * - `where` replaces any earlier filter; nested plain objects in it mean dotted paths; `eq/lt/lte/gt/in`; a plain
 *   value matches an array field that contains it (WeChat cloud docs: `where({ numbers: 20 })`);
 * - `update` merges (plain objects become dotted `$set`s), `set` replaces a field whole, `remove` unsets
 *   it, `_id` may not be updated, every matching document is updated (multi), and it answers `{updated}`;
 * - `get` honours orderBy (accumulating) and limit (default 100, capped at 1000);
 * - `doc(id).get()` answers `{ data: [doc] }` or `{ data: [] }`.
 * Each update is atomic because match-and-write runs with no `await` in between, and the event loop runs
 * one callback at a time; the real service gets that from a single-document write on the primary.
 * It does NOT imitate indexes, query planning, latency, consistency or comparison across BSON types.
 *
 * Every call is recorded in `calls`, with commands rendered the way the SDK serialises them
 * (`{ $lte: '…' }`, `{ $in: […] }`, `{ $set: … }`, `{ $unset: '' }`), so tests can assert the exact queries.
 */
import type {
  CloudbaseCollection,
  CloudbaseCommand,
  CloudbaseDb,
  CloudbaseQuery,
  DbAddResult,
  DbGetResult,
  DbUpdateResult,
} from '../../shared/adapters/cloudbase/cloudbase-db';

type Doc = Record<string, unknown>;
type Op = 'eq' | 'lt' | 'lte' | 'gt' | 'in' | 'and' | 'exists' | 'set' | 'remove' | 'inc';
type Order = Array<[string, 'asc' | 'desc']>;

export type StandinCall =
  | { op: 'add'; collection: string; data: Doc }
  | { op: 'doc.get'; collection: string; id: string }
  | { op: 'query.get'; collection: string; query: Doc | undefined; orderBy: Order; limit: number }
  | { op: 'where.update'; collection: string; query: Doc | undefined; data: Doc };

class Cmd {
  constructor(
    readonly op: Op,
    readonly operand?: unknown,
  ) {}
  /** The SDK's wire form of this command. */
  render(): Doc {
    if (this.op === 'remove') return { $unset: '' };
    if (this.op === 'and') return { $and: (this.operand as Cmd[]).map((c) => c.render()) };
    return { [`$${this.op}`]: structuredClone(this.operand) };
  }
}

/** Mimics the SDK's TcbError: an Error with `code`, `message`, `requestId`. */
export class StandinTcbError extends Error {
  readonly requestId = 'standin';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isPlain = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Cmd);
const render = (v: unknown): unknown =>
  v instanceof Cmd ? v.render() : isPlain(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)])) : structuredClone(v);

/**
 * `{a: {b: 1}}` → `{'a.b': 1}`, stopping at commands, arrays and null, as the SDK's serializer does
 * (database/src/serializer/common.ts `flatten`, which also drops undefined values and empty objects).
 */
function flatten(obj: Doc, prefix = ''): Array<[string, unknown]> {
  return Object.entries(obj).flatMap(([k, v]) =>
    v === undefined ? [] : isPlain(v) ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  );
}

function read(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (isPlain(at) ? at[key] : undefined), doc);
}

const UNSET = Symbol('unset');

function write(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = doc;
  for (const key of keys.slice(0, -1)) {
    if (!isPlain(at[key])) {
      if (value === UNSET) return;
      at[key] = {};
    }
    at = at[key] as Doc;
  }
  if (value === UNSET) delete at[keys[keys.length - 1]!];
  else at[keys[keys.length - 1]!] = structuredClone(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const comparable = (a: unknown, b: unknown) =>
  (typeof a === 'string' && typeof b === 'string') || (typeof a === 'number' && typeof b === 'number');

function matches(doc: Doc, query: Doc | undefined): boolean {
  if (!query) return true;
  return flatten(query).every(([path, cond]) => {
    const v = read(doc, path);
    // An array field matches a plain value it contains, as the service's (MongoDB's) `where({ numbers: 20 })` does.
    if (!(cond instanceof Cmd))
      return v !== undefined && (same(v, cond) || (Array.isArray(v) && !Array.isArray(cond) && v.some((x) => same(x, cond))));
    return satisfies(v, cond);
  });
}

function satisfies(v: unknown, cond: Cmd): boolean {
  const x = cond.operand as string | number;
  switch (cond.op) {
    case 'eq':
      return v !== undefined && JSON.stringify(v) === JSON.stringify(x);
    case 'lt':
      return comparable(v, x) && (v as typeof x) < x;
    case 'lte':
      return comparable(v, x) && (v as typeof x) <= x;
    case 'gt':
      return comparable(v, x) && (v as typeof x) > x;
    case 'in':
      return v !== undefined && (cond.operand as unknown[]).some((o) => JSON.stringify(o) === JSON.stringify(v));
    case 'and':
      return (cond.operand as Cmd[]).every((c) => satisfies(v, c));
    case 'exists':
      return (v !== undefined) === cond.operand;
    default:
      throw new StandinTcbError('INVALID_PARAM', `update command ${cond.op} used in a query`);
  }
}

function compare(a: Doc, b: Doc, order: Order): number {
  for (const [field, dir] of order) {
    const x = read(a, field) as string | number | undefined;
    const y = read(b, field) as string | number | undefined;
    if (x === y) continue;
    // Missing sorts first ascending, as null does in MongoDB.
    const lt = x === undefined || (y !== undefined && x < y);
    return (lt ? -1 : 1) * (dir === 'asc' ? 1 : -1);
  }
  return 0;
}

class StandinQuery implements CloudbaseQuery {
  constructor(
    protected readonly db: CloudbaseStandin,
    protected readonly name: string,
    private readonly filter: Doc | undefined,
    private readonly order: Order,
    private readonly max: number | undefined,
  ) {}

  where(query: Doc): CloudbaseQuery {
    return new StandinQuery(this.db, this.name, query, this.order, this.max);
  }
  orderBy(field: string, direction: 'asc' | 'desc'): CloudbaseQuery {
    return new StandinQuery(this.db, this.name, this.filter, [...this.order.filter(([f]) => f !== field), [field, direction]], this.max);
  }
  limit(max: number): CloudbaseQuery {
    if (!Number.isInteger(max)) throw new Error('limit must be an integer');
    return new StandinQuery(this.db, this.name, this.filter, this.order, max);
  }

  async get(): Promise<DbGetResult> {
    const limit = this.max ? Math.min(this.max, 1000) : 100;
    this.db.calls.push({ op: 'query.get', collection: this.name, query: this.rendered(), orderBy: [...this.order], limit });
    const docs = [...this.db.docs(this.name).values()].filter((d) => matches(d, this.filter));
    return {
      data: docs
        .sort((a, b) => compare(a, b, this.order))
        .slice(0, limit)
        .map((d) => structuredClone(d)),
    };
  }

  async update(data: Doc): Promise<DbUpdateResult> {
    this.db.calls.push({ op: 'where.update', collection: this.name, query: this.rendered(), data: render(data) as Doc });
    if ('_id' in data) throw new StandinTcbError('INVALID_PARAM', '不能更新_id的值');
    // No await from here on: matching and writing happen in one turn of the event loop.
    let updated = 0;
    for (const doc of this.db.docs(this.name).values()) {
      if (!matches(doc, this.filter)) continue;
      for (const [path, value] of flatten(data)) {
        if (value instanceof Cmd && value.op === 'remove') write(doc, path, UNSET);
        else if (value instanceof Cmd && value.op === 'set') write(doc, path, value.operand);
        else if (value instanceof Cmd && value.op === 'inc') write(doc, path, (Number(read(doc, path)) || 0) + (value.operand as number));
        else if (value instanceof Cmd) throw new StandinTcbError('INVALID_PARAM', `query command ${value.op} used in an update`);
        else write(doc, path, value);
      }
      updated++;
    }
    return { updated };
  }

  private rendered(): Doc | undefined {
    return this.filter && (render(this.filter) as Doc);
  }
}

class StandinCollection extends StandinQuery implements CloudbaseCollection {
  constructor(db: CloudbaseStandin, name: string) {
    super(db, name, undefined, [], undefined);
  }

  doc(id: string): { get(): Promise<DbGetResult> } {
    return {
      get: async () => {
        this.db.calls.push({ op: 'doc.get', collection: this.name, id });
        const doc = this.db.docs(this.name).get(id);
        return { data: doc ? [structuredClone(doc)] : [] };
      },
    };
  }

  async add(data: Doc): Promise<DbAddResult> {
    this.db.calls.push({ op: 'add', collection: this.name, data: render(data) as Doc });
    const docs = this.db.docs(this.name);
    const id = typeof data._id === 'string' ? data._id : `standin_${docs.size + 1}_${Date.now().toString(36)}`;
    if (docs.has(id))
      throw new StandinTcbError('DATABASE_DUPLICATE_WRITE', `duplicate _id ${id} (stand-in; the service's wording differs)`);
    docs.set(id, { ...structuredClone(data), _id: id });
    return { id };
  }
}

const command: CloudbaseCommand = {
  eq: (v) => new Cmd('eq', v),
  lt: (v) => new Cmd('lt', v),
  lte: (v) => new Cmd('lte', v),
  gt: (v) => new Cmd('gt', v),
  in: (vs) => new Cmd('in', vs),
  set: (v) => new Cmd('set', v),
  remove: () => new Cmd('remove'),
  and: (...cs) => new Cmd('and', cs),
  exists: (present) => new Cmd('exists', present),
  inc: (n) => new Cmd('inc', n),
};

/** In-process stand-in for `app.database()`. */
export class CloudbaseStandin implements CloudbaseDb {
  readonly command = command;
  readonly calls: StandinCall[] = [];
  private readonly collections = new Map<string, Map<string, Doc>>();

  collection(name: string): CloudbaseCollection {
    return new StandinCollection(this, name);
  }

  /** Stored documents of a collection (live map; tests read it to see exactly what was persisted). */
  docs(name: string): Map<string, Doc> {
    let docs = this.collections.get(name);
    if (!docs) {
      docs = new Map();
      this.collections.set(name, docs);
    }
    return docs;
  }
}
