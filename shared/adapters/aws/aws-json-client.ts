import type { Agent, IncomingMessage, RequestOptions } from 'node:http';
import { type AwsCredentials, signRequest } from './sigv4';

/**
 * A client of one AWS service speaking the AWS JSON protocol (DynamoDB 1.0; SSM and Secrets Manager 1.1): `POST /`
 * with `X-Amz-Target: <prefix>.<Operation>` and the input as JSON, SigV4-signed (sigv4.ts), over node:http(s) with a
 * keep-alive agent. It replaces the AWS SDK v3 in every deployed function: one file instead of ~500 KB of clients,
 * middleware and credential chains, which took ~80 ms to load and ~20 ms more on the first call (BENCHMARKS.md).
 *
 * Retries follow the SDKs' "standard" mode: at most `maxAttempts` (3) attempts, full-jitter exponential backoff
 * (base 100 ms, 500 ms after throttling, capped at 20 s), on throttling errors, 5xx answers, timeouts and connection
 * resets; never on any other 4xx (a failed condition is an answer, not a fault). Each attempt has a timeout. Left out:
 * the SDK's client-wide retry quota and DynamoDB's x-amz-crc32 check of answers (TLS already protects them).
 */
export interface AwsJsonClientOptions {
  /** The signing name: `dynamodb`, `ssm`, `secretsmanager`. */
  service: string;
  /** X-Amz-Target's prefix: `DynamoDB_20120810`, `AmazonSSM`, `secretsmanager`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  region: string;
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** A stand-in (dynalite, DynamoDB Local, a test server); default: the service's regional endpoint. */
  endpoint?: string | undefined;
  maxAttempts?: number | undefined;
  /**
   * Per attempt, from sending to the whole answer read. Default 3 s: these services answer in milliseconds, so three
   * seconds of silence is a dead connection (one kept alive across a frozen Lambda instance), retried well within the
   * functions' 10 s. Local engines under test load need more.
   */
  timeoutMs?: number | undefined;
  /** How the body is written and read (DynamoDB's binary values travel as base64). */
  replacer?: (this: unknown, key: string, value: unknown) => unknown;
  reviver?: (this: unknown, key: string, value: unknown) => unknown;
}

/** Sees every call once, whatever its retries: `next()` runs it (benchmarks price DynamoDB requests with this). */
export type AwsCallInterceptor = (operation: string, input: Record<string, unknown>, next: () => Promise<unknown>) => Promise<unknown>;

/** An error the service answered (`name` is its `__type`, e.g. ConditionalCheckFailedException), with the body's fields. */
export class AwsServiceError extends Error {
  /** As the SDK's errors carry them (`$metadata.httpStatusCode`, `$fault`), so code and tests read both alike. */
  readonly $metadata: { httpStatusCode: number; requestId: string | undefined; attempts: number };
  readonly $fault: 'client' | 'server';

  constructor(name: string, message: string, status: number, requestId: string | undefined, fields: Record<string, unknown>) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$metadata = { httpStatusCode: status, requestId, attempts: 1 };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

/** The client gave up waiting for an answer (the attempt's timeout). */
export class AwsTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** A kept-alive connection the server had closed: the request was lost before it arrived. */
class StaleConnectionError extends Error {
  readonly code: string | undefined;
  constructor(cause: Error & { code?: string }) {
    super(cause.message, { cause });
    this.code = cause.code;
  }
}

const THROTTLING = new Set([
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED']);

const isThrottling = (e: unknown) => e instanceof AwsServiceError && (THROTTLING.has(e.name) || e.$metadata.httpStatusCode === 429);
function isRetryable(e: unknown): boolean {
  if (e instanceof AwsServiceError) return isThrottling(e) || e.$fault === 'server';
  if (e instanceof AwsTimeoutError) return true;
  return TRANSIENT_CODES.has((e as { code?: string }).code ?? '');
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` or `X:http://…` → the bare name. */
const errorName = (raw: string) => raw.split(',')[0]!.split(':')[0]!.split('#').pop()!.trim();

/**
 * A built-in module, loaded when first needed. process.getBuiltinModule (Node ≥ 20.16) loads it as require() would;
 * `import()` in a CommonJS bundle starts Node's ESM loader first (~2–3 ms of a Lambda's first call). Older Node: import().
 */
function loadBuiltin(id: 'node:http' | 'node:https'): Promise<typeof import('node:http') | typeof import('node:https')> {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (get) return Promise.resolve(get.call(process, id) as typeof import('node:http'));
  return id === 'node:https' ? import('node:https') : import('node:http');
}

export class AwsJsonClient {
  private readonly url: URL;
  private readonly contentType: string;
  private agent: Promise<{ agent: Agent; request: typeof import('node:http').request }> | undefined;
  private readonly interceptors: AwsCallInterceptor[] = [];

  constructor(private readonly opts: AwsJsonClientOptions) {
    const dns = opts.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    this.url = new URL(opts.endpoint ?? `https://${opts.service}.${opts.region}.${dns}`);
    this.contentType = `application/x-amz-json-${opts.jsonVersion}`;
  }

  get endpoint(): string {
    return this.url.origin;
  }

  /** Adds a hook around every later call (the innermost runs last). */
  intercept(interceptor: AwsCallInterceptor): void {
    this.interceptors.push(interceptor);
  }

  /** Runs `operation` with `input`; rejects with AwsServiceError (the service's answer) or the transport's error. */
  call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): Promise<T> {
    let next = () => this.withRetries(operation, input);
    for (const interceptor of this.interceptors) {
      const inner = next;
      next = () => interceptor(operation, input, inner) as Promise<Record<string, unknown>>;
    }
    return next() as Promise<T>;
  }

  /** Closes the idle keep-alive connections (a test's or a script's end). */
  destroy(): void {
    void this.agent?.then(({ agent }) => agent.destroy());
    this.agent = undefined;
  }

  private async withRetries(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input, this.opts.replacer);
    const maxAttempts = this.opts.maxAttempts ?? 3;
    let staleRetried = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(operation, body);
      } catch (e) {
        if (e instanceof StaleConnectionError && !staleRetried) {
          // The server had closed the idle kept-alive connection as the request went out: it never saw the request,
          // so it is sent again on a fresh connection, whatever maxAttempts (Node's documented remedy, req.reusedSocket).
          staleRetried = true;
          attempt--;
          continue;
        }
        if (e instanceof AwsServiceError) e.$metadata.attempts = attempt;
        if (attempt >= maxAttempts || !isRetryable(e)) throw e;
        const base = isThrottling(e) ? 500 : 100;
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * Math.min(20_000, base * 2 ** attempt))));
      }
    }
  }

  private transport() {
    // Only the module the endpoint needs: node:https loads TLS, which a local stand-in over http never uses.
    this.agent ??= loadBuiltin(this.url.protocol === 'https:' ? 'node:https' : 'node:http').then((m) => ({
      agent: new m.Agent({ keepAlive: true, maxSockets: 50 }),
      request: m.request as typeof import('node:http').request,
    }));
    return this.agent;
  }

  private async send(operation: string, body: string): Promise<Record<string, unknown>> {
    const { agent, request } = await this.transport();
    const credentials = typeof this.opts.credentials === 'function' ? await this.opts.credentials() : this.opts.credentials;
    const headers: Record<string, string> = {
      host: this.url.host,
      'content-type': this.contentType,
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-target': `${this.opts.targetPrefix}.${operation}`,
    };
    Object.assign(
      headers,
      signRequest(
        { method: 'POST', path: '/', headers, body },
        { credentials, region: this.opts.region, service: this.opts.service, at: new Date() },
      ),
    );
    const options: RequestOptions = {
      agent,
      method: 'POST',
      hostname: this.url.hostname,
      port: this.url.port || undefined,
      path: '/',
      headers,
    };
    const timeoutMs = this.opts.timeoutMs ?? 3_000;
    const { status, text, requestId } = await new Promise<{ status: number; text: string; requestId: string | undefined }>(
      (resolve, reject) => {
        let answered = false;
        const req = request(options, (res: IncomingMessage) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            const id = res.headers['x-amzn-requestid'];
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), requestId: id as string | undefined });
          });
        });
        const timer = setTimeout(() => req.destroy(new AwsTimeoutError(`no answer to ${operation} within ${timeoutMs} ms`)), timeoutMs);
        req.on('error', (e: Error & { code?: string }) => {
          clearTimeout(timer);
          const stale = req.reusedSocket && !answered && (e.code === 'ECONNRESET' || e.code === 'EPIPE');
          reject(stale ? new StaleConnectionError(e) : e);
        });
        req.end(body);
      },
    );
    let parsed: Record<string, unknown> = {};
    try {
      if (text) parsed = JSON.parse(text, this.opts.reviver) as Record<string, unknown>;
    } catch {
      if (status < 300) throw new AwsServiceError('SerializationException', `${operation}: the answer is not JSON`, 500, requestId, {});
    }
    if (status >= 200 && status < 300) return parsed;
    const { __type, message, Message, ...fields } = parsed as Record<string, unknown> & { __type?: string };
    const name = errorName(String(__type ?? parsed.code ?? (status >= 500 ? 'InternalServerError' : 'UnknownError')));
    throw this.errorOf(name, String(message ?? Message ?? 'UnknownError'), status, requestId, fields);
  }

  /** Subclasses map error names to classes of their own (instanceof ConditionalCheckFailedException). */
  protected errorOf(name: string, message: string, status: number, requestId: string | undefined, fields: Record<string, unknown>) {
    return new AwsServiceError(name, message, status, requestId, fields);
  }
}
