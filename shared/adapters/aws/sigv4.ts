import { createHash, createHmac } from 'node:crypto';

/** What signs a request: on Lambda, the execution role's session (AWS_ACCESS_KEY_ID, …, set by the runtime). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SignableRequest {
  method: string;
  /** Already URI-encoded once (as sent); '/' for the AWS JSON protocols. */
  path: string;
  /** Header names in any case; `host` included. */
  headers: Record<string, string>;
  body: string;
}

/** Headers SigV4 never signs (proxies may rewrite them), as the AWS SDKs leave them out. */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20261129T183000Z`: the request's time to the second, as x-amz-date carries it. */
export const amzDate = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * The signing key depends only on the secret, the day, the region and the service: four HMACs computed once a day per
 * service instead of on every request. A handful of entries at most (one per service a function calls).
 */
const signingKeys = new Map<string, Buffer>();
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const id = `${secret}\n${day}\n${region}\n${service}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size > 32) signingKeys.clear(); // yesterday's keys, or rotated credentials
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
    signingKeys.set(id, key);
  }
  return key;
}

/** RFC 3986 unreserved characters stay; the rest is %-encoded, as the canonical path wants it (and '/' kept). */
const encodePath = (path: string) =>
  path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');

/**
 * Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * the headers to add to `req` (x-amz-date, x-amz-security-token when the credentials are a session's, authorization).
 * Every header given is signed except UNSIGNABLE ones; the payload hash is of the body as sent.
 */
export function signRequest(
  req: SignableRequest,
  opts: { credentials: AwsCredentials; region: string; service: string; at: Date },
): Record<string, string> {
  const { credentials, region, service } = opts;
  const date = amzDate(opts.at);
  const day = date.slice(0, 8);
  const added: Record<string, string> = { 'x-amz-date': date };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries({ ...req.headers, ...added })) {
    const lower = name.toLowerCase();
    if (!UNSIGNABLE.has(lower) && !/^(proxy|sec)-/.test(lower)) headers.set(lower, value.trim().replace(/\s+/g, ' '));
  }
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const canonical = [
    req.method.toUpperCase(),
    encodePath(req.path),
    '', // the AWS JSON protocols send no query string
    ...names.map((n) => `${n}:${headers.get(n)}`),
    '',
    signedHeaders,
    sha256Hex(req.body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, region, service))
    .update(toSign, 'utf8')
    .digest('hex');
  const credential = `${credentials.accessKeyId}/${scope}`;
  added.authorization = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}
