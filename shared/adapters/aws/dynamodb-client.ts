/**
 * DynamoDB over the AWS JSON 1.0 protocol (aws-json-client.ts), with the AWS SDK v3's call shape
 * (`client.send(new GetItemCommand(input))`, the same command and error class names) so the stores read as before.
 * The input and output types are the SDK's own, imported as types only: nothing of the SDK is bundled.
 */
import type * as Sdk from '@aws-sdk/client-dynamodb';
import { AwsJsonClient, AwsServiceError } from './aws-json-client';
import type { AwsCredentials } from './sigv4';

export type AttributeValue = Sdk.AttributeValue;
/** An SDK output without `$metadata` (request ids and attempts are on errors only here). */
type Out<T> = Omit<T, '$metadata'>;

/** One DynamoDB operation and its input; the type parameter carries what `send` resolves to. */
export abstract class DynamoCommand<I, O> {
  declare readonly _output: O;
  abstract readonly operation: string;
  constructor(readonly input: I) {}
}

export class GetItemCommand extends DynamoCommand<Sdk.GetItemCommandInput, Out<Sdk.GetItemCommandOutput>> {
  readonly operation = 'GetItem';
}
export class PutItemCommand extends DynamoCommand<Sdk.PutItemCommandInput, Out<Sdk.PutItemCommandOutput>> {
  readonly operation = 'PutItem';
}
export class UpdateItemCommand extends DynamoCommand<Sdk.UpdateItemCommandInput, Out<Sdk.UpdateItemCommandOutput>> {
  readonly operation = 'UpdateItem';
}
export class DeleteItemCommand extends DynamoCommand<Sdk.DeleteItemCommandInput, Out<Sdk.DeleteItemCommandOutput>> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends DynamoCommand<Sdk.QueryCommandInput, Out<Sdk.QueryCommandOutput>> {
  readonly operation = 'Query';
}
export class ScanCommand extends DynamoCommand<Sdk.ScanCommandInput, Out<Sdk.ScanCommandOutput>> {
  readonly operation = 'Scan';
}
export class BatchGetItemCommand extends DynamoCommand<Sdk.BatchGetItemCommandInput, Out<Sdk.BatchGetItemCommandOutput>> {
  readonly operation = 'BatchGetItem';
}
export class BatchWriteItemCommand extends DynamoCommand<Sdk.BatchWriteItemCommandInput, Out<Sdk.BatchWriteItemCommandOutput>> {
  readonly operation = 'BatchWriteItem';
}
export class TransactWriteItemsCommand extends DynamoCommand<Sdk.TransactWriteItemsCommandInput, Out<Sdk.TransactWriteItemsCommandOutput>> {
  readonly operation = 'TransactWriteItems';
}
export class TransactGetItemsCommand extends DynamoCommand<Sdk.TransactGetItemsCommandInput, Out<Sdk.TransactGetItemsCommandOutput>> {
  readonly operation = 'TransactGetItems';
}
export class CreateTableCommand extends DynamoCommand<Sdk.CreateTableCommandInput, Out<Sdk.CreateTableCommandOutput>> {
  readonly operation = 'CreateTable';
}
export class DescribeTableCommand extends DynamoCommand<Sdk.DescribeTableCommandInput, Out<Sdk.DescribeTableCommandOutput>> {
  readonly operation = 'DescribeTable';
}
export class DeleteTableCommand extends DynamoCommand<Sdk.DeleteTableCommandInput, Out<Sdk.DeleteTableCommandOutput>> {
  readonly operation = 'DeleteTable';
}
export class ListTablesCommand extends DynamoCommand<Sdk.ListTablesCommandInput, Out<Sdk.ListTablesCommandOutput>> {
  readonly operation = 'ListTables';
}
export type CreateTableCommandInput = Sdk.CreateTableCommandInput;

/** A condition failed; `Item` is the item as it was when ReturnValuesOnConditionCheckFailure asked for it. */
export class ConditionalCheckFailedException extends AwsServiceError {
  declare readonly Item?: Record<string, AttributeValue>;
}
export class ResourceNotFoundException extends AwsServiceError {}
/** A transaction was cancelled: one reason per item (`Code` ConditionalCheckFailed, None, …; `Item` as above). */
export class TransactionCanceledException extends AwsServiceError {
  declare readonly CancellationReasons?: Array<{ Code?: string; Message?: string; Item?: Record<string, AttributeValue> }>;
}
const ERRORS: Record<string, typeof AwsServiceError> = {
  ConditionalCheckFailedException,
  ResourceNotFoundException,
  TransactionCanceledException,
};

/** Binary values (B, BS) travel as base64 and are Uint8Arrays (Buffers) in code, as in the SDK. */
function writeBinary(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  return value;
}
function readBinary(key: string, value: unknown): unknown {
  if (key === 'B' && typeof value === 'string') return Buffer.from(value, 'base64');
  if (key === 'BS' && Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? Buffer.from(v, 'base64') : v));
  return value;
}

export interface DynamoDBClientOptions {
  region: string;
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** dynalite, DynamoDB Local; default: DynamoDB's regional endpoint. */
  endpoint?: string | undefined;
  maxAttempts?: number | undefined;
  timeoutMs?: number | undefined;
}

class DynamoJsonClient extends AwsJsonClient {
  protected override errorOf(
    name: string,
    message: string,
    status: number,
    requestId: string | undefined,
    fields: Record<string, unknown>,
  ) {
    return new (ERRORS[name] ?? AwsServiceError)(name, message, status, requestId, fields);
  }
}

export class DynamoDBClient {
  private readonly json: AwsJsonClient;

  constructor(opts: DynamoDBClientOptions) {
    this.json = new DynamoJsonClient({
      ...opts,
      service: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
      replacer: writeBinary,
      reviver: readBinary,
    });
  }

  send<I, O>(command: DynamoCommand<I, O>): Promise<O> {
    return this.json.call<O>(command.operation, command.input as Record<string, unknown>);
  }

  /** `operation` with an input already in DynamoDB's JSON (dynamodb-document.ts marshals into it). */
  call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.json.call(operation, input);
  }

  /** Every later call passes through `interceptor` with its wire input and output (bench/lib/dynamo-capacity.ts). */
  intercept(...args: Parameters<AwsJsonClient['intercept']>): void {
    this.json.intercept(...args);
  }

  destroy(): void {
    this.json.destroy();
  }
}
