/**
 * A paper model of DynamoDB capacity, fed by a hook of the DynamoDB client that sees every command the store sends (dynalite
 * reports no consumed capacity). It applies AWS's published rules:
 *
 * - Item size: attribute name bytes + value bytes (strings UTF-8; numbers ~1 byte per 2 significant digits + 1; sets
 *   the sum of their members). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * - Writes: one write unit per 1 KB of the larger of the old and new item, also when a condition fails.
 * - Reads: one read unit per 4 KB (rounded up, per item for GetItem/BatchGetItem, per response for Query); eventually
 *   consistent reads (every GSI query) cost half.
 * - Global secondary indexes: a write whose projected index item changes costs a write on that index too — one when
 *   the item enters, leaves or changes in place, two when its index key changes (a delete and a put); an index item is
 *   its projected attributes plus 100 bytes. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
 *   (section "Provisioned throughput considerations for global secondary indexes")
 */
import type { AttributeValue, CreateTableCommandInput, DynamoDBClient } from '../../shared/adapters/aws/dynamodb-client';

type Item = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '') || '0';
  return Math.ceil(digits.length / 2) + 1;
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.SS) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + utf8(k) + valueSize(x), 0);
  return 0;
}

export const itemSize = (item: Item): number => Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + valueSize(v), 0);

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

interface IndexDef {
  name: string;
  pk: string;
  sk: string;
  projected: (item: Item) => Item;
}

function indexDefs(table: CreateTableCommandInput): IndexDef[] {
  return (table.GlobalSecondaryIndexes ?? []).map((g) => {
    const pk = g.KeySchema![0]!.AttributeName!;
    const sk = g.KeySchema![1]!.AttributeName!;
    const keep = new Set(['id', pk, sk, ...(g.Projection?.ProjectionType === 'INCLUDE' ? (g.Projection.NonKeyAttributes ?? []) : [])]);
    const all = g.Projection?.ProjectionType === 'ALL';
    return {
      name: g.IndexName!,
      pk,
      sk,
      projected: (item) => (all ? item : Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)))),
    };
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Consumed units of one request, as DynamoDB would bill them. */
export interface RequestCost {
  command: string;
  /** Base-table write units. */
  wru: number;
  /** Write units on each index, by index name. */
  gsiWru: Record<string, number>;
  rru: number;
  /**
   * A timer-index query of the scheduled jobs: at festival rates one query returns hundreds of due gifts, so its
   * read units are priced per entry read (no per-request minimum) and it is not counted as a request of any gift.
   */
  shared: boolean;
  /** Index partition keys written, with the units each got (for the hottest-key estimate). */
  partitions: Array<{ index: string; pk: string; wru: number }>;
  /** Writes: the size of the item written, as DynamoDB measures it. */
  bytes?: number;
}

/**
 * Records every command sent through `client` and prices it. Keeps a shadow copy of each item written, so a write
 * knows the size of what it replaces and which index items change.
 */
export class CapacityRecorder {
  readonly requests: RequestCost[] = [];
  private readonly items = new Map<string, Item>();
  private readonly indexes: IndexDef[];
  /** Requests in flight and how many sequential waves of requests were sent (a round trip no other overlapped). */
  private inFlight = 0;
  waves = 0;

  /** Requests are not recorded while paused (a benchmark's own bookkeeping queries). */
  paused = false;

  constructor(
    client: DynamoDBClient,
    table: CreateTableCommandInput,
    /** The index the scheduled jobs scan (its queries are shared by every gift they find). */
    private readonly sharedIndex = 'timer',
    /** Only this table's requests (several recorders on one client); absent: every table's. */
    private readonly onlyTable?: string,
  ) {
    this.indexes = indexDefs(table);
    // Around each call, with its input in DynamoDB's JSON (after the document layer marshalled it), retries inside.
    client.intercept(async (operation, input, next) => {
      if (this.paused || !this.mine(input)) return next();
      if (this.inFlight++ === 0) this.waves++;
      const command = `${operation}Command`; // the SDK's command names, as this recorder has always reported them
      try {
        const output = await next();
        this.record(command, input, (output ?? {}) as Record<string, unknown>, true);
        return output;
      } catch (e) {
        if ((e as { name?: string }).name === 'ConditionalCheckFailedException') this.record(command, input, {}, false);
        throw e;
      } finally {
        this.inFlight--;
      }
    });
  }

  private mine(input: Record<string, unknown>): boolean {
    if (this.onlyTable === undefined) return true;
    if (input.TableName !== undefined) return input.TableName === this.onlyTable;
    return Object.keys((input.RequestItems as object | undefined) ?? {}).includes(this.onlyTable);
  }

  private record(command: string, input: Record<string, unknown>, output: Record<string, unknown>, succeeded: boolean): void {
    const cost: RequestCost = { command, wru: 0, gsiWru: {}, rru: 0, partitions: [], shared: false };
    if (command === 'PutItemCommand') this.put(cost, input.Item as Item, succeeded);
    else if (command === 'UpdateItemCommand') this.update(cost, input, output);
    else if (command === 'GetItemCommand') {
      const key = (input.Key as Item).id!.S!;
      cost.rru = readUnits(this.items.has(key) ? itemSize(this.items.get(key)!) : 0, input.ConsistentRead === true);
    } else if (command === 'BatchGetItemCommand') {
      for (const req of Object.values(input.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean }>)) {
        for (const k of req.Keys) cost.rru += readUnits(itemSize(this.items.get(k.id!.S!) ?? {}), req.ConsistentRead === true);
      }
    } else if (command === 'QueryCommand') this.query(cost, input, output);
    this.requests.push(cost);
  }

  private put(cost: RequestCost, item: Item, succeeded: boolean): void {
    const id = item.id!.S!;
    const before = this.items.get(id);
    cost.bytes = itemSize(item);
    cost.wru = writeUnits(Math.max(cost.bytes, before ? itemSize(before) : 0));
    if (!succeeded) return; // a failed condition is billed, but changes nothing
    this.items.set(id, item);
    for (const index of this.indexes) {
      const old = before?.[index.pk] && before[index.sk] ? index.projected(before) : null;
      const now = item[index.pk] && item[index.sk] ? index.projected(item) : null;
      const charge = (entry: Item, times = 1) => {
        const wru = writeUnits(itemSize(entry) + 100) * times;
        cost.gsiWru[index.name] = (cost.gsiWru[index.name] ?? 0) + wru;
        cost.partitions.push({ index: index.name, pk: entry[index.pk]!.S!, wru });
      };
      const keyChanged = old && now && (!same(old[index.pk], now[index.pk]) || !same(old[index.sk], now[index.sk]));
      if (old && now && keyChanged) {
        charge(old);
        charge(now);
      } else if (old && now) {
        if (!same(old, now)) charge(now);
      } else if (old) charge(old);
      else if (now) charge(now);
    }
  }

  private update(cost: RequestCost, input: Record<string, unknown>, output: Record<string, unknown>): void {
    const id = (input.Key as Item).id!.S!;
    const merged = { ...(this.items.get(id) ?? (input.Key as Item)), ...((output.Attributes as Item | undefined) ?? {}) };
    cost.wru = writeUnits(itemSize(merged));
    this.items.set(id, merged);
  }

  private query(cost: RequestCost, input: Record<string, unknown>, output: Record<string, unknown>): void {
    const index = this.indexes.find((i) => i.name === input.IndexName);
    const returned = (output.Items as Item[] | undefined) ?? [];
    const scanned = Number(output.ScannedCount ?? returned.length);
    if (!index) {
      // A primary-key query (the claim-link match): the whole item is read, whatever the filter keeps.
      const id = (input.ExpressionAttributeValues as Item)[':id']?.S;
      cost.rru = readUnits(id && this.items.has(id) ? itemSize(this.items.get(id)!) : 0, input.ConsistentRead === true);
      return;
    }
    const each = returned.length > 0 ? returned.reduce((n, i) => n + itemSize(i), 0) / returned.length : 60;
    if (index.name === this.sharedIndex) {
      cost.shared = true;
      cost.rru = ((scanned * each) / 4096) * 0.5;
    } else cost.rru = readUnits(Math.round(scanned * each), false);
  }

  /** Totals of the requests recorded since `from` (an index into `requests`). */
  totals(from = 0): {
    requests: number;
    sharedQueries: number;
    wru: number;
    gsiWru: Record<string, number>;
    rru: number;
    byCommand: Record<string, number>;
  } {
    const all = this.requests.slice(from);
    const slice = all.filter((r) => !r.shared);
    const gsiWru: Record<string, number> = {};
    const byCommand: Record<string, number> = {};
    for (const r of slice) {
      for (const [k, v] of Object.entries(r.gsiWru)) gsiWru[k] = (gsiWru[k] ?? 0) + v;
      byCommand[r.command] = (byCommand[r.command] ?? 0) + 1;
    }
    return {
      requests: slice.length,
      sharedQueries: all.length - slice.length,
      wru: all.reduce((n, r) => n + r.wru, 0),
      gsiWru,
      rru: all.reduce((n, r) => n + r.rru, 0),
      byCommand,
    };
  }

  /** Write units per index partition key value since `from`. */
  partitionWrites(from = 0): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.requests.slice(from))
      for (const p of r.partitions) out.set(`${p.index}:${p.pk}`, (out.get(`${p.index}:${p.pk}`) ?? 0) + p.wru);
    return out;
  }
}
