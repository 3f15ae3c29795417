import { effectIdempotencyKey } from '../../domain/effects';
import type { Effect } from '../../domain/gift';
import type { GiftDocument } from '../../domain/gift-document';

/*
 * How the LevelDB engine stores a document's outbox. The outbox is over half of a gift's JSON, and most of it is the
 * same ten key names in every effect plus an idempotency key derived from ids the record already holds. Every byte
 * is paid for on every write (JSON, the batch, LevelDB's log, memtable and compaction) and on every read that misses
 * the cache, so an effect is stored as a row: the base fields by position, then only what differs from the default
 * (a derivable idempotency key is left out, any other field keeps its name). The version that recorded the effect
 * (recordedIn) follows the kind as a number; rows written before it was kept hold the rest there, and records written
 * before rows hold effect objects: both read unchanged.
 */
type Rest = Record<string, unknown>;
type Row =
  | [...BaseRow, recordedIn: number, rest?: Rest]
  /** An effect stored without recordedIn (before it was kept), as rows were written then. */
  | [...BaseRow, rest?: Rest];
type BaseRow = [
  id: string,
  status: Effect['status'],
  attempts: number,
  nextAttemptAt: string,
  lastError: string | null,
  createdAt: string,
  completedAt: string | null,
  receipt: string | null,
  kind: Effect['kind'],
];

/** The keys a row holds by position (the idempotency key derived, or in the rest when it differs). */
const BASE_KEYS = new Set<string>([
  'id',
  'idempotencyKey',
  'status',
  'attempts',
  'nextAttemptAt',
  'lastError',
  'createdAt',
  'completedAt',
  'receipt',
  'kind',
] satisfies Array<keyof Effect>);

function rowOf(docId: string, e: Effect): Row {
  const row: Row = [e.id, e.status, e.attempts, e.nextAttemptAt, e.lastError, e.createdAt, e.completedAt, e.receipt, e.kind];
  const recordedIn = typeof e.recordedIn === 'number' ? e.recordedIn : undefined;
  let rest: Rest | undefined;
  if (e.idempotencyKey !== effectIdempotencyKey(docId, e.id)) rest = { idempotencyKey: e.idempotencyKey };
  for (const key in e) {
    if (BASE_KEYS.has(key) || (key === 'recordedIn' && recordedIn !== undefined)) continue;
    rest ??= {};
    rest[key] = (e as unknown as Rest)[key];
  }
  if (recordedIn !== undefined) row.push(recordedIn);
  if (rest) row.push(rest);
  return row;
}

function effectOf(docId: string, row: Row): Effect {
  const [id, status, attempts, nextAttemptAt, lastError, createdAt, completedAt, receipt, kind, tenth, eleventh] = row;
  const recordedIn = typeof tenth === 'number' ? tenth : undefined;
  const rest = (recordedIn === undefined ? tenth : eleventh) as Rest | undefined;
  const idempotencyKey = (rest?.idempotencyKey as string | undefined) ?? effectIdempotencyKey(docId, id);
  // Keys in the order the effect was made with (domain/effects.ts, effectBase): a record reads back byte for byte.
  const effect =
    recordedIn === undefined
      ? { id, idempotencyKey, status, attempts, nextAttemptAt, lastError, createdAt, completedAt, receipt, kind }
      : { id, idempotencyKey, status, attempts, nextAttemptAt, lastError, createdAt, completedAt, receipt, recordedIn, kind };
  if (rest) for (const key in rest) if (key !== 'idempotencyKey') (effect as Record<string, unknown>)[key] = rest[key];
  return effect as Effect;
}

/** The document's JSON as stored: its effects as rows. */
export function storedJson(doc: GiftDocument): string {
  return JSON.stringify({ ...doc, effects: doc.effects.map((e) => rowOf(doc.id, e)) });
}

/** The document from its stored JSON, either form. */
export function parseStoredJson(json: string): GiftDocument {
  const doc = JSON.parse(json) as GiftDocument;
  const stored = doc.effects as unknown;
  if (!Array.isArray(stored)) return doc; // not this engine's to judge: the document reads as it was stored
  for (let i = 0; i < stored.length; i++) {
    const e = stored[i];
    if (Array.isArray(e)) stored[i] = effectOf(doc.id, e as Row);
  }
  return doc;
}
