import * as crypto from 'node:crypto';

type Encoding = 'hex' | 'base64url';
type OneShot = (algorithm: string, data: string, outputEncoding: Encoding) => string;

/**
 * SHA-256 of a string in one call. Node's one-shot `crypto.hash` (20.12+) skips the Hash object and its stream
 * plumbing: ~0.4 µs instead of ~1.4 µs here, and a lifecycle hashes its claim token at every recipient command.
 * Older runtimes fall back to createHash (same digest).
 */
const oneShot = (crypto as { hash?: OneShot }).hash;

export const sha256 = (data: string, encoding: Encoding): string =>
  oneShot ? oneShot('sha256', data, encoding) : crypto.createHash('sha256').update(data).digest(encoding);
