/**
 * The same probes (test/store/support/dynamodb-probes.ts) on dynalite and on DynamoDB Local, Amazon's own
 * engine: the features a redesigned gifts table will lean on, and where the two engines part. Each engine's
 * answer is pinned; `same(x)` marks an answer both give, `differ(dynalite, local)` one where they part. The
 * file prints the side-by-side answers at the end. DynamoDB Local needs `java` (fails with how to install it).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '../../shared/adapters/aws/dynamodb-client';
import { startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { startDynamoDbLocal } from '../support/dynamodb-local';
import * as probes from './support/dynamodb-probes';

type Engine = 'dynalite' | 'DynamoDB Local';
// The JVM boots (2-3 s) while the dynalite half runs; its failure (no java) surfaces in that half's beforeAll.
const dynamoDbLocal = startDynamoDbLocal();
dynamoDbLocal.catch(() => {});
const ENGINES: Array<{ engine: Engine; start: () => Promise<{ client: DynamoDBClient; close(): Promise<void> }> }> = [
  { engine: 'dynalite', start: () => startEmbeddedDynamo() },
  { engine: 'DynamoDB Local', start: () => dynamoDbLocal },
];
// Not left running if the DynamoDB Local half never got to start (a filtered run).
afterAll(async () => (await dynamoDbLocal.catch(() => null))?.close());

const seen: Record<string, Partial<Record<Engine, unknown>>> = {};
afterAll(() => {
  // Key order differs between engines (and means nothing): sort it.
  const show = (v: unknown): string =>
    JSON.stringify(v, (_, x) =>
      x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
    );
  const lines: string[] = [];
  for (const [probe, by] of Object.entries(seen)) {
    const d = by.dynalite as Record<string, unknown> | undefined;
    const l = by['DynamoDB Local'] as Record<string, unknown> | undefined;
    const parts =
      d && l && typeof d === 'object' && !Array.isArray(d)
        ? [...new Set([...Object.keys(d), ...Object.keys(l)])].map((k) => [`${probe}.${k}`, d[k], l[k]] as const)
        : [[probe, d, l] as const];
    for (const [name, a, b] of parts)
      lines.push(
        show(a) === show(b)
          ? `  ${name}: same on both: ${show(a)}`
          : `  ${name}: DIFFER\n    dynalite:       ${show(a)}\n    DynamoDB Local: ${show(b)}`,
      );
  }
  console.log(`DynamoDB engines, probe by probe:\n${lines.join('\n')}`);
});

const validation = (message: string) => ({ error: { name: 'ValidationException', message, status: 400, fault: 'client' } });
const ccfe = {
  name: 'ConditionalCheckFailedException',
  message: 'The conditional request failed',
  status: 400,
  fault: 'client',
  ccfe: true,
};

describe.each(ENGINES)('$engine', ({ engine, start }) => {
  let client: DynamoDBClient;
  let close = async () => {};
  beforeAll(async () => {
    const e = await start();
    close = () => e.close();
    client = e.client;
    await probes.createProbeTable(client);
  });
  afterAll(() => close());

  const same = <T>(both: T): T => both;
  const differ = <T>(dynalite: T, local: T): T => (engine === 'dynalite' ? dynalite : local);
  const observe = async <T>(name: string, run: Promise<T>): Promise<T> => {
    const value = await run;
    seen[name] ??= {};
    seen[name][engine] = value;
    return value;
  };

  it('KEYS_ONLY and INCLUDE GSIs return table key + index keys (+ included k); items without the index key are absent', async () => {
    expect(await observe('projections', probes.probeProjections(client))).toEqual(
      same({
        keysOnly: [
          ['g', 'id', 's'],
          ['g', 'id', 's'],
        ],
        incl: [
          ['g', 'id', 'k', 's'],
          ['g', 'id', 's'],
        ],
        keysOnlyIds: ['p1', 'p2'],
      }),
    );
  });

  it('Limit applies before the filter on a GSI; filtering on an attribute a KEYS_ONLY index does not project', async () => {
    const inclPage = { Count: 2, ScannedCount: 4, ids: ['f0', 'f2'], LastEvaluatedKey: { id: 'f3', g: 'flt', s: '03' } };
    expect(await observe('filter + Limit on GSI', probes.probeFilterWithLimit(client))).toEqual({
      incl: same(inclPage),
      keysOnly: differ<unknown>(
        // dynalite: the attribute is simply missing, so nothing matches (silently).
        { Count: 0, ScannedCount: 4, ids: [], LastEvaluatedKey: { id: 'f3', g: 'flt', s: '03' } },
        // DynamoDB Local refuses the query.
        validation(
          'One or more parameter values were invalid: Secondary index keysOnly does not project one or more filter attributes: [k]',
        ),
      ),
    });
  });

  it('BatchGetItem, ConsistentRead, 100 keys with 40 missing: the 60 found, no UnprocessedKeys', async () => {
    expect(await observe('BatchGetItem 100 keys', probes.probeBatchGet(client))).toEqual(same({ returned: 60, unprocessed: 0 }));
  });

  it('conditional PutItem throws ConditionalCheckFailedException; ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    expect(await observe('conditional PutItem', probes.probeConditionalPut(client))).toEqual({
      staleCas: same(ccfe),
      goodCas: same('succeeded'),
      insertTwice: same(ccfe),
      // dynalite ignores ReturnValuesOnConditionCheckFailure; DynamoDB Local returns the item on the exception.
      staleCasAllOld: differ({ ccfe: true, item: null }, { ccfe: true, item: { id: 'c1', v: '2', doc: 'old' } }),
      insertTwiceAllOld: differ({ ccfe: true, item: null }, { ccfe: true, item: { id: 'c1', v: '3', doc: 'new' } }),
    });
  });

  it('Query on the table key, consistent, with a failing filter: Count 0, ScannedCount 1', async () => {
    expect(await observe('base Query + filter', probes.probeBaseQueryFilter(client))).toEqual(
      same({ miss: { Count: 0, ScannedCount: 1, items: 0, LastEvaluatedKey: null }, hit: { Count: 1, ScannedCount: 1, items: 1 } }),
    );
  });

  it('UpdateItem ADD with a cap condition returns UPDATED_NEW, then ConditionalCheckFailedException at the cap', async () => {
    expect(await observe('capped ADD counter', probes.probeCappedCounter(client))).toEqual(
      same([{ hits: { N: '1' } }, { hits: { N: '2' } }, { hits: { N: '3' } }, { error: 'ConditionalCheckFailedException', ccfe: true }]),
    );
  });

  it('TransactWriteItems: DynamoDB Local runs and cancels transactions; dynalite does not know the operation', async () => {
    const unknown = { name: 'UnknownOperationException', message: 'UnknownError', status: 400, fault: 'client' };
    expect(await observe('TransactWriteItems', probes.probeTransactions(client))).toEqual(
      differ(
        { ok: unknown, canceled: { ...unknown, reasons: null } },
        {
          ok: 'succeeded',
          canceled: {
            name: 'TransactionCanceledException',
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
            status: 400,
            fault: 'client',
            reasons: ['ConditionalCheckFailed', 'None'],
          },
        },
      ),
    );
  });

  it('ExclusiveStartKey on a GSI: a hand-made key pages on; bad keys are ValidationException (400), messages per engine', async () => {
    expect(await observe('ExclusiveStartKey on GSI', probes.probeExclusiveStartKey(client))).toEqual({
      byHand: same({ ok: ['e2', 'e3', 'e4'] }),
      byHandGhost: same({ ok: ['e3', 'e4'] }),
      tableKeyOnly: validation(
        differ('The provided starting key is invalid', "Exclusive Start Key must have same size as table's key schema"),
      ),
      missingTableKey: validation(
        differ('The provided starting key is invalid', "Exclusive Start Key must have same size as table's key schema"),
      ),
      wrongType: validation(differ('The provided key element does not match the schema', 'Type mismatch for attribute to update')),
      extraAttribute: validation(
        differ('The provided starting key is invalid', "Exclusive Start Key must have same size as table's key schema"),
      ),
      otherPartition: validation(
        differ(
          'The provided starting key is outside query boundaries based on provided conditions',
          'The provided starting key does not match the range key predicate',
        ),
      ),
      emptyString: validation(
        differ(
          'The provided starting key is invalid: One or more parameter values were invalid: ' +
            'The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
          'The query can return at most one row and cannot be restarted. ' +
            'The provided starting key is invalid: One or more parameter values are not valid. ' +
            'The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
        ),
      ),
    });
  });

  it('a GSI query right after PutItem (and after moving the index key) is already up to date, 30 of 30', async () => {
    expect(await observe('GSI right after PutItem', probes.probeGsiLag(client, 30))).toEqual(
      same({ rounds: 30, missedNew: 0, staleMoved: 0 }),
    );
  });
});
