/**
 * The AWS JSON client (shared/adapters/aws/) over real HTTP on 127.0.0.1: against dynalite for DynamoDB's answers and
 * errors, and against a small scripted server for what dynalite never does (throttling, 5xx, dropped connections, no
 * answer, the item returned with a failed condition). That server checks every request's SigV4 signature with the
 * AWS SDK's signer, as AWS would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsJsonClient, AwsServiceError, AwsTimeoutError } from '../../shared/adapters/aws/aws-json-client';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ResourceNotFoundException,
} from '../../shared/adapters/aws/dynamodb-client';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../../shared/adapters/aws/dynamodb-document';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { SdkSha256 } from '../support/sdk-sha256';

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret/test+key', sessionToken: 'session-token-test' };

/** Re-signs the request as received with the SDK's signer: the signature must be the one sent. */
async function signatureIsValid(req: IncomingMessage, body: string): Promise<boolean> {
  const auth = String(req.headers.authorization ?? '');
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+),/.exec(auth);
  if (!scope) return false;
  const signed = scope[3]!.split(';');
  const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h])]));
  const date = String(req.headers['x-amz-date']);
  const at = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: scope[1]!,
    service: scope[2]!,
    sha256: SdkSha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    { method: req.method!, protocol: 'http:', hostname: headers.host!, path: req.url!, headers, body, query: {} },
    { signingDate: at },
  );
  return expected.headers.authorization === auth;
}

type Script = (n: number, req: IncomingMessage, res: ServerResponse, body: string) => void;
interface Scripted {
  url: string;
  requests: Array<{ target: string; body: unknown; signed: boolean; socket: Socket }>;
  script: Script;
  close(): Promise<void>;
}

async function scriptedServer(): Promise<Scripted> {
  const s: Scripted = { url: '', requests: [], script: () => {}, close: async () => {} };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const signed = await signatureIsValid(req, body);
      s.requests.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(body), signed, socket: req.socket });
      s.script(s.requests.length, req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return s;
}

const answer = (res: ServerResponse, status: number, json: unknown) =>
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' }).end(JSON.stringify(json));
const awsError = (res: ServerResponse, status: number, type: string, message = 'scripted', extra = {}) =>
  answer(res, status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra });

describe('DynamoDB on dynalite, over HTTP', () => {
  let dynamo: EmbeddedDynamo;
  let doc: DynamoDBDocumentClient;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: 'things',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  });
  afterAll(() => dynamo?.close());

  it('writes and reads back every kind of value: text in any script, numbers, binary, sets, lists, maps, null', async () => {
    const item = {
      pk: '礼物',
      sk: '🎁 1',
      text: '天冷了，围上 — naïve e\u0301',
      n: 1234567890123,
      neg: -0.5,
      bin: Buffer.from([0, 1, 2, 250, 251, 255]),
      kinds: new Set(['handoff', 'notify']),
      list: [1, 'two', null, true, { deep: ['x'] }],
      map: { a: { b: 'c' }, empty: '' },
      nothing: null,
      dropped: undefined,
    };
    await doc.send(new PutCommand({ TableName: 'things', Item: item }));
    const { Item } = await doc.send(new GetCommand({ TableName: 'things', Key: { pk: '礼物', sk: '🎁 1' }, ConsistentRead: true }));
    const { dropped: _, ...stored } = item;
    expect(Item).toEqual(stored);
    expect(Buffer.isBuffer(Item!.bin)).toBe(true);
    const raw = await dynamo.client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: '礼物' }, sk: { S: '🎁 1' } } }));
    expect(raw.Item!.bin).toEqual({ B: Buffer.from([0, 1, 2, 250, 251, 255]) });
    expect(raw.Item!.kinds!.SS!.sort()).toEqual(['handoff', 'notify']);
  });

  it('pages a Query with LastEvaluatedKey and answers an update with the new values', async () => {
    for (let i = 0; i < 5; i++) await doc.send(new PutCommand({ TableName: 'things', Item: { pk: 'page', sk: `s${i}`, v: i } }));
    const seen: number[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: 'things',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'page' },
          Limit: 2,
          ExclusiveStartKey: start,
        }),
      );
      seen.push(...(out.Items ?? []).map((i) => i.v as number));
      start = out.LastEvaluatedKey;
    } while (start);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    const updated = await doc.send(
      new UpdateCommand({
        TableName: 'things',
        Key: { pk: 'page', sk: 's0' },
        UpdateExpression: 'ADD hits :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes).toEqual({ hits: 1 });
  });

  it("names DynamoDB's errors as the SDK does: a failed condition, an unknown table, an invalid request", async () => {
    const failed = await doc
      .send(new PutCommand({ TableName: 'things', Item: { pk: 'page', sk: 's0' }, ConditionExpression: 'attribute_not_exists(pk)' }))
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect(failed).toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    const missing = await doc.send(new GetCommand({ TableName: 'no-such-table', Key: { pk: 'a', sk: 'b' } })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Requested resource not found');
    const invalid = await doc.send(new GetCommand({ TableName: 'things', Key: { pk: 'a' } })).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AwsServiceError);
    expect(invalid).toMatchObject({ name: 'ValidationException', message: 'The provided key element does not match the schema' });
  });
});

describe('retries, timeouts and signatures, against a scripted server', () => {
  let server: Scripted;
  const client = (opts: { maxAttempts?: number; timeoutMs?: number } = {}) =>
    new DynamoDBClient({ region: 'ap-northeast-1', credentials: CREDENTIALS, endpoint: server.url, ...opts });
  beforeAll(async () => {
    server = await scriptedServer();
  });
  afterAll(() => server?.close());
  const fresh = (script: Script) => {
    server.requests.length = 0;
    server.script = script;
  };

  it('signs every request (SigV4 with the session token), keeps one connection alive, and sends the target and JSON', async () => {
    fresh((_, __, res) => answer(res, 200, { Item: { id: { S: 'x' } } }));
    const c = client();
    for (let i = 0; i < 3; i++) await c.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: `礼${i}` } } }));
    c.destroy();
    expect(server.requests.map((r) => r.signed)).toEqual([true, true, true]);
    expect(server.requests[0]).toMatchObject({
      target: 'DynamoDB_20120810.GetItem',
      body: { TableName: 'things', Key: { id: { S: '礼0' } } },
    });
    expect(new Set(server.requests.map((r) => r.socket)).size).toBe(1);
  });

  it('retries throttling and 5xx answers with backoff, at most 3 attempts, and stops at the first answer', async () => {
    fresh((n, _, res) =>
      n === 1
        ? awsError(res, 400, 'ProvisionedThroughputExceededException')
        : n === 2
          ? awsError(res, 500, 'InternalServerError')
          : answer(res, 200, {}),
    );
    const started = Date.now();
    await client().send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3_000); // full jitter: at most 1 s then 0.4 s

    fresh((_, __, res) => awsError(res, 400, 'ThrottlingException', 'Rate exceeded'));
    const throttled = await client()
      .send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }))
      .catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { attempts: 3 } });
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a failed condition, and hands back the item it returned (in native values on the document client)', async () => {
    const old = { id: { S: 'g_1' }, version: { N: '7' }, dz1: { B: Buffer.from('deflated').toString('base64') } };
    fresh((_, __, res) => awsError(res, 400, 'ConditionalCheckFailedException', 'The conditional request failed', { Item: old }));
    const raw = await client({ maxAttempts: 3 })
      .send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'g_1' } } }))
      .catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(ConditionalCheckFailedException);
    expect((raw as ConditionalCheckFailedException).Item).toEqual({ ...old, dz1: { B: Buffer.from('deflated') } });
    expect(server.requests).toHaveLength(1);

    const doc = DynamoDBDocumentClient.from(client());
    const failed = await doc
      .send(
        new PutCommand({
          TableName: 'things',
          Item: { id: 'g_1', version: 8 },
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': 6 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as { Item: unknown }).Item).toEqual({ id: 'g_1', version: 7, dz1: Buffer.from('deflated') });
    expect(server.requests.at(-1)!.body).toMatchObject({ ExpressionAttributeValues: { ':v': { N: '6' } }, Item: { version: { N: '8' } } });
  });

  it('retries a dropped connection', async () => {
    fresh((n, req, res) => (n === 1 ? req.socket.destroy() : answer(res, 200, { Item: { id: { S: 'ok' } } })));
    const out = await client().send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    expect(out.Item).toEqual({ id: { S: 'ok' } });
    expect(server.requests).toHaveLength(2);
  });

  it('resends, once and even without retries, a request lost on a kept-alive connection the server had closed', async () => {
    fresh((n, req, res) => (n === 2 ? req.socket.destroy() : answer(res, 200, { Item: { id: { S: `answer ${n}` } } })));
    const c = client({ maxAttempts: 1 });
    await c.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    const out = await c.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'b' } } }));
    expect(out.Item).toEqual({ id: { S: 'answer 3' } });
    expect(server.requests[2]!.socket).not.toBe(server.requests[1]!.socket);

    fresh((n, req, res) => (n === 1 ? answer(res, 200, {}) : req.socket.destroy()));
    await c.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    const lost = await c.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'b' } } })).catch((e: unknown) => e);
    expect((lost as { code?: string }).code).toBe('ECONNRESET'); // a fresh connection dropped too: a real failure
    expect(server.requests).toHaveLength(3);
    c.destroy();
  });

  it('gives up on an attempt without an answer after the timeout, retries it, then fails with TimeoutError', async () => {
    fresh(() => {}); // never answers
    const started = Date.now();
    const error = await client({ timeoutMs: 150, maxAttempts: 2 })
      .send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsTimeoutError);
    expect((error as Error).name).toBe('TimeoutError');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('lets a hook see each call once, retries included, with the input and answer as sent on the wire', async () => {
    fresh((n, _, res) => (n === 1 ? awsError(res, 503, 'ServiceUnavailable') : answer(res, 200, { Items: [{ b: { B: 'AAE=' } }] })));
    const c = client();
    const seen: unknown[] = [];
    c.intercept(async (operation, input, next) => {
      const output = await next();
      seen.push({ operation, input, output });
      return output;
    });
    await DynamoDBDocumentClient.from(c).send(
      new QueryCommand({ TableName: 'things', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': 'x' } }),
    );
    expect(seen).toEqual([
      {
        operation: 'Query',
        input: { TableName: 'things', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'x' } } },
        output: { Items: [{ b: { B: Buffer.from([0, 1]) } }] },
      },
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('speaks AWS JSON 1.1 to other services with their own target prefix and signing name', async () => {
    fresh((_, req, res) => answer(res, 200, { Parameters: [{ Name: '/a', Value: String(req.headers['content-type']) }] }));
    const ssm = new AwsJsonClient({
      service: 'ssm',
      targetPrefix: 'AmazonSSM',
      jsonVersion: '1.1',
      region: 'cn-north-1',
      credentials: async () => CREDENTIALS,
      endpoint: server.url,
    });
    const out = await ssm.call<{ Parameters: Array<{ Value: string }> }>('GetParameters', { Names: ['/a'], WithDecryption: true });
    ssm.destroy();
    expect(out.Parameters[0]!.Value).toBe('application/x-amz-json-1.1');
    expect(server.requests[0]).toMatchObject({ target: 'AmazonSSM.GetParameters', signed: true });
  });
});
