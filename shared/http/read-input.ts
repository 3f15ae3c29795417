import type { Context } from 'hono';
import type * as z from 'zod';
import { AppError, type ValidationIssue } from '../domain/errors';

export const MAX_BODY_BYTES = 64 * 1024;

const toIssues = (error: z.ZodError): ValidationIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));

/** Parses input with a shared zod schema; failures become 422 VALIDATION_FAILED with per-field issues. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('VALIDATION_FAILED', `invalid ${what}`, toIssues(result.error));
  return result.data;
}

/** Reads a JSON body: wrong media type → 415, unparsable → 400, schema mismatch → 422. An empty body reads as {}. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseJsonText(c, await c.req.text(), schema);
}

/** The same rules for a body already read as text (signed routes verify the raw bytes first). */
export function parseJsonText<S extends z.ZodType>(c: Context, text: string, schema: S): z.output<S> {
  let raw: unknown = {};
  if (text.trim() !== '') {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError('MALFORMED_JSON', 'the request body is not valid JSON');
    }
  }
  return parseWith(schema, raw, 'request body');
}
