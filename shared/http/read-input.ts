import type { Context } from 'hono';
import type * as z from 'zod/mini';
import '../schemas/zod-english';
import type { ValidationIssue } from '../domain/errors';
import { ClientAbortError, EdgeError } from './edge-errors';

export const MAX_BODY_BYTES = 64 * 1024;

const toIssues = (error: z.core.$ZodError): ValidationIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));

/** Parses input with a shared zod schema; failures become 422 VALIDATION_FAILED with per-field issues. */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new EdgeError('VALIDATION_FAILED', `invalid ${what}`, toIssues(result.error));
  return result.data;
}

/** Reads the raw body; a client that hangs up before sending all of it is a ClientAbortError, not a failure of ours. */
export async function readBodyText(c: Context): Promise<string> {
  try {
    return await c.req.text();
  } catch (e) {
    throw new ClientAbortError(e);
  }
}

/** Reads a JSON body: wrong media type or charset → 415, unparsable → 400, schema mismatch → 422. An empty body reads as {}. */
export async function readJsonBody<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseJsonText(c, await readBodyText(c), schema);
}

/**
 * `application/json` (or `+json`), in UTF-8: JSON is UTF-8 by definition (RFC 8259), and a body labelled with
 * another charset would otherwise be decoded as UTF-8 anyway and stored garbled.
 */
function assertJsonMediaType(contentType: string): void {
  const [type = '', ...params] = contentType.split(';').map((p) => p.trim());
  if (!/^application\/([\w.+-]+\+)?json$/i.test(type)) throw new EdgeError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  for (const param of params) {
    const [name = '', value = ''] = param.split('=').map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
    if (name.toLowerCase() === 'charset' && !/^utf-?8$/i.test(value)) {
      throw new EdgeError('UNSUPPORTED_MEDIA_TYPE', `send the body in UTF-8 (charset=${value} is not accepted)`);
    }
  }
}

/** The same rules for a body already read as text (signed routes verify the raw bytes first). */
export function parseJsonText<S extends z.ZodMiniType>(c: Context, text: string, schema: S): z.output<S> {
  let raw: unknown = {};
  if (text.trim() !== '') {
    assertJsonMediaType(c.req.header('content-type') ?? '');
    try {
      raw = JSON.parse(text);
    } catch {
      throw new EdgeError('MALFORMED_JSON', 'the request body is not valid JSON');
    }
  }
  return parseWith(schema, raw, 'request body');
}
