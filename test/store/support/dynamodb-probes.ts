/**
 * Probes of DynamoDB features a redesigned gifts table will rely on. Each probe runs against one engine (a
 * DynamoDBClient) and returns what it saw as plain data, so the same probe can be compared across engines
 * (dynalite, DynamoDB Local) and its answer pinned in test/store/dynamodb-engines-behaviour.test.ts.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '../../../shared/adapters/aws/dynamodb-client';

export const PROBE_TABLE = 'probe';
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const names = (item: Record<string, AttributeValue> | undefined) => (item ? Object.keys(item).sort() : null);

/** What an engine threw, without the parts that differ by run (request ids). */
export interface ErrorShape {
  name: string;
  message: string;
  status: number | undefined;
  fault: string | undefined;
  ccfe?: boolean;
}
export function errorShape(e: unknown): ErrorShape {
  const err = e as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
  return {
    name: err.name,
    message: err.message,
    status: err.$metadata?.httpStatusCode,
    fault: err.$fault,
    ...(e instanceof ConditionalCheckFailedException ? { ccfe: true } : {}),
  };
}
async function outcome<T>(p: Promise<T>): Promise<{ ok: T } | { error: ErrorShape }> {
  try {
    return { ok: await p };
  } catch (e) {
    return { error: errorShape(e) };
  }
}

/**
 * Table `probe`: key `id`; GSI `keysOnly` (g, s) KEYS_ONLY and GSI `incl` (g, s) INCLUDE k. Both indexes are
 * sparse: items without `g` are in neither.
 */
export async function createProbeTable(client: DynamoDBClient): Promise<void> {
  const keys = [
    { AttributeName: 'g', KeyType: 'HASH' as const },
    { AttributeName: 's', KeyType: 'RANGE' as const },
  ];
  await client.send(
    new CreateTableCommand({
      TableName: PROBE_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['id', 'g', 's'].map((a) => ({ AttributeName: a, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'keysOnly', KeySchema: keys, Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'incl', KeySchema: keys, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['k'] } },
      ],
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: PROBE_TABLE }));
    if (Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const put = (client: DynamoDBClient, item: Record<string, AttributeValue>) =>
  client.send(new PutItemCommand({ TableName: PROBE_TABLE, Item: item }));
const queryIndex = (client: DynamoDBClient, index: string, g: string, extra: Partial<ConstructorParameters<typeof QueryCommand>[0]> = {}) =>
  client.send(
    new QueryCommand({
      TableName: PROBE_TABLE,
      IndexName: index,
      KeyConditionExpression: '#g = :g',
      ...extra,
      ExpressionAttributeNames: { '#g': 'g', ...extra.ExpressionAttributeNames },
      ExpressionAttributeValues: { ':g': S(g), ...extra.ExpressionAttributeValues },
    }),
  );

/** 1. Projections: which attributes each GSI returns, and whether an item without `g` shows up. */
export async function probeProjections(client: DynamoDBClient) {
  await put(client, { id: S('p1'), g: S('proj'), s: S('1'), k: S('handoff'), other: S('x'), big: S('y'.repeat(100)) });
  await put(client, { id: S('p2'), g: S('proj'), s: S('2'), other: S('x') }); // no k
  await put(client, { id: S('p3'), s: S('3'), k: S('handoff'), other: S('x') }); // no g: sparse
  const keysOnly = await queryIndex(client, 'keysOnly', 'proj');
  const incl = await queryIndex(client, 'incl', 'proj');
  return {
    keysOnly: keysOnly.Items!.map(names),
    incl: incl.Items!.map(names),
    keysOnlyIds: keysOnly.Items!.map((i) => i.id!.S),
  };
}

/**
 * 2. Filter + Limit on a GSI: 10 items in partition `flt`, every other one with `k` containing "refund".
 * Limit 4 reads 4 items, then the filter drops some.
 */
export async function probeFilterWithLimit(client: DynamoDBClient) {
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      put(client, { id: S(`f${i}`), g: S('flt'), s: S(String(i).padStart(2, '0')), k: S(i % 2 === 0 ? 'handoff,refund' : 'notify') }),
    ),
  );
  const filter = {
    Limit: 4,
    FilterExpression: 'contains(#k, :kind)',
    ExpressionAttributeNames: { '#k': 'k' },
    ExpressionAttributeValues: { ':kind': S('refund') },
  };
  const summary = async (index: string) => {
    const r = await outcome(queryIndex(client, index, 'flt', filter));
    if ('error' in r) return r;
    const { Count, ScannedCount, LastEvaluatedKey, Items } = r.ok;
    return {
      Count,
      ScannedCount,
      ids: Items!.map((i) => i.id!.S),
      LastEvaluatedKey: LastEvaluatedKey ? Object.fromEntries(Object.entries(LastEvaluatedKey).map(([k, v]) => [k, v.S])) : null,
    };
  };
  return { incl: await summary('incl'), keysOnly: await summary('keysOnly') };
}

/** 3. BatchGetItem, ConsistentRead, 100 keys of which 40 do not exist. */
export async function probeBatchGet(client: DynamoDBClient) {
  await Promise.all(Array.from({ length: 60 }, (_, i) => put(client, { id: S(`b${i}`), v: N(i) })));
  const keys = Array.from({ length: 100 }, (_, i) => ({ id: S(`b${i}`) }));
  const r = await outcome(client.send(new BatchGetItemCommand({ RequestItems: { [PROBE_TABLE]: { Keys: keys, ConsistentRead: true } } })));
  if ('error' in r) return r;
  return { returned: r.ok.Responses?.[PROBE_TABLE]?.length ?? 0, unprocessed: r.ok.UnprocessedKeys?.[PROBE_TABLE]?.Keys?.length ?? 0 };
}

/** 4. Conditional PutItem: version compare-and-set and attribute_not_exists, with and without ALL_OLD. */
export async function probeConditionalPut(client: DynamoDBClient) {
  await put(client, { id: S('c1'), v: N(2), doc: S('old') });
  const cas = (expected: number, returnOld: boolean) =>
    outcome(
      client.send(
        new PutItemCommand({
          TableName: PROBE_TABLE,
          Item: { id: S('c1'), v: N(expected + 1), doc: S('new') },
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'v' },
          ExpressionAttributeValues: { ':expected': N(expected) },
          ...(returnOld ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        }),
      ),
    );
  const insertExisting = (returnOld: boolean) =>
    client.send(
      new PutItemCommand({
        TableName: PROBE_TABLE,
        Item: { id: S('c1'), v: N(1) },
        ConditionExpression: 'attribute_not_exists(id)',
        ...(returnOld ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
      }),
    );
  const oldItemOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'succeeded';
    } catch (e) {
      const item = (e as { Item?: Record<string, AttributeValue> }).Item;
      return {
        ccfe: e instanceof ConditionalCheckFailedException,
        item: item ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? v.N])) : null,
      };
    }
  };
  const staleCas = await cas(1, false);
  const staleCasAllOld = await oldItemOf(
    client.send(
      new PutItemCommand({
        TableName: PROBE_TABLE,
        Item: { id: S('c1'), v: N(9), doc: S('new') },
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'v' },
        ExpressionAttributeValues: { ':expected': N(1) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ),
  );
  const goodCas = await cas(2, false);
  const insertTwice = await outcome(insertExisting(false));
  const insertTwiceAllOld = await oldItemOf(insertExisting(true));
  return {
    staleCas: 'error' in staleCas ? staleCas.error : 'succeeded',
    goodCas: 'ok' in goodCas ? 'succeeded' : goodCas.error,
    insertTwice: 'error' in insertTwice ? insertTwice.error : 'succeeded',
    staleCasAllOld,
    insertTwiceAllOld,
  };
}

/** 5. Query on the base table by key, consistent, with a filter on a non-key attribute that fails. */
export async function probeBaseQueryFilter(client: DynamoDBClient) {
  await put(client, { id: S('q1'), status: S('sent') });
  const q = (status: string) =>
    client.send(
      new QueryCommand({
        TableName: PROBE_TABLE,
        ConsistentRead: true,
        KeyConditionExpression: 'id = :id',
        FilterExpression: '#st = :st',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':id': S('q1'), ':st': S(status) },
      }),
    );
  const miss = await q('claimed');
  const hit = await q('sent');
  return {
    miss: {
      Count: miss.Count,
      ScannedCount: miss.ScannedCount,
      items: miss.Items?.length,
      LastEvaluatedKey: miss.LastEvaluatedKey ?? null,
    },
    hit: { Count: hit.Count, ScannedCount: hit.ScannedCount, items: hit.Items?.length },
  };
}

/** 6. A capped counter: ADD hits :one if attribute_not_exists(hits) OR hits < :max, returning UPDATED_NEW. */
export async function probeCappedCounter(client: DynamoDBClient) {
  const hit = () =>
    outcome(
      client.send(
        new UpdateItemCommand({
          TableName: PROBE_TABLE,
          Key: { id: S('counter') },
          UpdateExpression: 'ADD hits :one',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :max',
          ExpressionAttributeValues: { ':one': N(1), ':max': N(3) },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
  const seen: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await hit();
    seen.push('ok' in r ? r.ok.Attributes : { error: r.error.name, ccfe: r.error.ccfe ?? false });
  }
  return seen;
}

/** 7. TransactWriteItems: a put with a condition check on another item, then one whose check fails. */
export async function probeTransactions(client: DynamoDBClient) {
  await put(client, { id: S('t-guard'), open: S('yes') });
  const tx = (guard: string) =>
    client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: PROBE_TABLE,
              Key: { id: S('t-guard') },
              ConditionExpression: '#o = :o',
              ExpressionAttributeNames: { '#o': 'open' },
              ExpressionAttributeValues: { ':o': S(guard) },
            },
          },
          { Put: { TableName: PROBE_TABLE, Item: { id: S(`t-${guard}`) }, ConditionExpression: 'attribute_not_exists(id)' } },
        ],
      }),
    );
  const ok = await outcome(tx('yes'));
  let cancel: unknown;
  try {
    await tx('no');
    cancel = 'succeeded';
  } catch (e) {
    const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    cancel = { ...errorShape(e), message: errorShape(e).message.slice(0, 160), reasons: reasons?.map((r) => r.Code) ?? null };
  }
  return { ok: 'ok' in ok ? 'succeeded' : ok.error, canceled: cancel };
}

/** 8. Paging a GSI with a start key made by hand, and what malformed start keys do. */
export async function probeExclusiveStartKey(client: DynamoDBClient) {
  for (let i = 0; i < 5; i++) await put(client, { id: S(`e${i}`), g: S('esk'), s: S(`s${i}`), k: S('x') });
  const page = (ExclusiveStartKey: Record<string, AttributeValue>) =>
    outcome(queryIndex(client, 'incl', 'esk', { ExclusiveStartKey, Limit: 10 }).then((r) => r.Items!.map((i) => i.id!.S)));
  const flat = (r: Awaited<ReturnType<typeof page>>) =>
    'ok' in r ? { ok: r.ok } : { error: { name: r.error.name, message: r.error.message, status: r.error.status, fault: r.error.fault } };
  return {
    byHand: flat(await page({ id: S('e1'), g: S('esk'), s: S('s1') })),
    /** A key of an item that does not exist, but in range. */
    byHandGhost: flat(await page({ id: S('zzz'), g: S('esk'), s: S('s2') })),
    tableKeyOnly: flat(await page({ id: S('e1') })),
    missingTableKey: flat(await page({ g: S('esk'), s: S('s1') })),
    wrongType: flat(await page({ id: S('e1'), g: S('esk'), s: N(1) })),
    extraAttribute: flat(await page({ id: S('e1'), g: S('esk'), s: S('s1'), k: S('x') })),
    otherPartition: flat(await page({ id: S('e1'), g: S('someone-else'), s: S('s1') })),
    emptyString: flat(await page({ id: S(''), g: S('esk'), s: S('s1') })),
  };
}

/** 9. Is a GSI query right after a PutItem (and after moving an item's index key) already up to date? */
export async function probeGsiLag(client: DynamoDBClient, rounds = 50) {
  let missedNew = 0;
  let staleMoved = 0;
  for (let i = 0; i < rounds; i++) {
    await put(client, { id: S(`lag${i}`), g: S(`lag${i}`), s: S('a'), k: S('x') });
    if ((await queryIndex(client, 'incl', `lag${i}`)).Items!.length !== 1) missedNew++;
    await put(client, { id: S(`lag${i}`), g: S(`lag${i}-moved`), s: S('a'), k: S('x') });
    if ((await queryIndex(client, 'incl', `lag${i}`)).Items!.length !== 0) staleMoved++;
  }
  return { rounds, missedNew, staleMoved };
}
