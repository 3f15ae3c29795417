/**
 * The document layer over dynamodb-client.ts: inputs and outputs in plain JavaScript values, marshalled exactly as the
 * AWS SDK's @aws-sdk/lib-dynamodb does it (each top-level value of Key, Item, ExpressionAttributeValues, … converted
 * on its own, undefined ones dropped; the values as @aws-sdk/util-dynamodb converts them: ./attribute-values.ts), with
 * its command names.
 */
import type * as Lib from '@aws-sdk/lib-dynamodb';
import { fromAttr, type MarshallOptions, toAttr } from './attribute-values';
import { AwsServiceError } from './aws-json-client';
import type { DynamoDBClient } from './dynamodb-client';

type Out<T> = Omit<T, '$metadata'>;
type Json = Record<string, unknown>;

/** One operation in native values; `send` resolves to O. */
export abstract class DocumentCommand<I, O> {
  declare readonly _output: O;
  abstract readonly operation: string;
  constructor(readonly input: I) {}
}

export class GetCommand extends DocumentCommand<Lib.GetCommandInput, Out<Lib.GetCommandOutput>> {
  readonly operation = 'GetItem';
}
export class PutCommand extends DocumentCommand<Lib.PutCommandInput, Out<Lib.PutCommandOutput>> {
  readonly operation = 'PutItem';
}
export class UpdateCommand extends DocumentCommand<Lib.UpdateCommandInput, Out<Lib.UpdateCommandOutput>> {
  readonly operation = 'UpdateItem';
}
export class DeleteCommand extends DocumentCommand<Lib.DeleteCommandInput, Out<Lib.DeleteCommandOutput>> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends DocumentCommand<Lib.QueryCommandInput, Out<Lib.QueryCommandOutput>> {
  readonly operation = 'Query';
}
export class ScanCommand extends DocumentCommand<Lib.ScanCommandInput, Out<Lib.ScanCommandOutput>> {
  readonly operation = 'Scan';
}
export class BatchGetCommand extends DocumentCommand<Lib.BatchGetCommandInput, Out<Lib.BatchGetCommandOutput>> {
  readonly operation = 'BatchGetItem';
}
export class BatchWriteCommand extends DocumentCommand<Lib.BatchWriteCommandInput, Out<Lib.BatchWriteCommandOutput>> {
  readonly operation = 'BatchWriteItem';
}
export class TransactWriteCommand extends DocumentCommand<Lib.TransactWriteCommandInput, Out<Lib.TransactWriteCommandOutput>> {
  readonly operation = 'TransactWriteItems';
}
export class TransactGetCommand extends DocumentCommand<Lib.TransactGetCommandInput, Out<Lib.TransactGetCommandOutput>> {
  readonly operation = 'TransactGetItems';
}
export type QueryCommandInput = Lib.QueryCommandInput;
export type QueryCommandOutput = Out<Lib.QueryCommandOutput>;
export type BatchGetCommandOutput = Out<Lib.BatchGetCommandOutput>;
export type ScanCommandOutput = Out<Lib.ScanCommandOutput>;
export type NativeAttributeValue = Lib.NativeAttributeValue;

/** Item-valued fields, wherever they appear (a request, a transaction's part, an answer, an error). */
const ITEMS = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey', 'LastEvaluatedKey', 'Attributes'];
/** Fields holding a list of items. */
const ITEM_LISTS = ['Keys', 'Items'];

const mapValues = (o: Json, f: (v: unknown) => unknown): Json => {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    const converted = f(v);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
};

/**
 * Converts every item in `o` with `item` (marshall or unmarshall): the top-level item fields, and the same fields one
 * level down in batches (RequestItems, Responses, UnprocessedKeys/Items by table), transactions (TransactItems,
 * Responses, CancellationReasons) and write requests (PutRequest, DeleteRequest).
 */
function convert(o: Json, item: (attrs: Json) => Json): Json {
  const out: Json = { ...o };
  for (const k of ITEMS) if (out[k]) out[k] = item(out[k] as Json);
  for (const k of ITEM_LISTS) if (Array.isArray(out[k])) out[k] = (out[k] as Json[]).map(item);
  const nested = (v: unknown): unknown => (v && typeof v === 'object' ? convert(v as Json, item) : v);
  const parts = (v: Json) => mapValues(v, nested); // { Put: {...} }, { PutRequest: {...} }, { Get: {...} }
  for (const k of ['RequestItems', 'UnprocessedKeys', 'UnprocessedItems']) {
    // By table: { Keys: [...] } for reads, a list of write requests for writes.
    if (out[k]) out[k] = mapValues(out[k] as Json, (v) => (Array.isArray(v) ? v.map((w) => parts(w as Json)) : nested(v)));
  }
  if (Array.isArray(out.TransactItems)) out.TransactItems = out.TransactItems.map((t) => parts(t as Json));
  if (Array.isArray(out.CancellationReasons)) out.CancellationReasons = out.CancellationReasons.map(nested);
  if (out.Responses) {
    // BatchGetItem: items by table; TransactGetItems: a list of { Item }.
    out.Responses = Array.isArray(out.Responses)
      ? out.Responses.map(nested)
      : mapValues(out.Responses as Json, (v) => (v as Json[]).map(item));
  }
  return out;
}

export interface TranslateConfig {
  marshallOptions?: MarshallOptions;
}

export class DynamoDBDocumentClient {
  private readonly marshallItem: (attrs: Json) => Json;
  private readonly unmarshallItem: (attrs: Json) => Json;

  private constructor(
    readonly client: DynamoDBClient,
    config: TranslateConfig = {},
  ) {
    const m = config.marshallOptions ?? {};
    this.marshallItem = (attrs) => mapValues(attrs, (v) => (v === undefined ? undefined : toAttr(v, m)));
    this.unmarshallItem = (attrs) => mapValues(attrs, (v) => fromAttr(v as Json));
  }

  static from(client: DynamoDBClient, config?: TranslateConfig): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(client, config);
  }

  async send<I, O>(command: DocumentCommand<I, O>): Promise<O> {
    try {
      const out = await this.client.call(command.operation, convert(command.input as Json, this.marshallItem));
      return convert(out, this.unmarshallItem) as O;
    } catch (e) {
      // The item a failed condition returns (ReturnValuesOnConditionCheckFailure), in native values like the rest.
      if (e instanceof AwsServiceError) {
        const { Item, CancellationReasons } = e as unknown as Json;
        if (Item || CancellationReasons) Object.assign(e, convert(Item ? { Item } : { CancellationReasons }, this.unmarshallItem));
      }
      throw e;
    }
  }
}
