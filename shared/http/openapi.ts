import * as z from 'zod';
import { ERROR_CATALOG } from '../domain/errors';
import { operations, type Operation } from './operations';

const schemaOf = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CATALOG) },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

function operationDoc(op: Operation) {
  const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = op.query ? schemaOf(op.query) : null;
  const requiredQuery = (query?.required as string[] | undefined) ?? [];
  const queryParams = Object.entries((query?.properties ?? {}) as Record<string, object>).map(([name, schema]) => ({
    name,
    in: 'query',
    required: requiredQuery.includes(name),
    schema,
  }));
  const headerParams = Object.entries(op.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } }));
  const errorStatuses = new Map<number, string[]>();
  for (const code of [...op.errors, ...(op.auth === 'user' ? ['UNAUTHENTICATED'] : []), ...(op.body ? ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED'] : [])]) {
    const status = ERROR_CATALOG[code as keyof typeof ERROR_CATALOG];
    errorStatuses.set(status, [...new Set([...(errorStatuses.get(status) ?? []), code])]);
  }
  return {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    ...(op.auth === 'user' ? { security: [{ bearer: [] }] } : { security: [] }),
    parameters: [...pathParams, ...queryParams, ...headerParams],
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } } : {}),
    responses: {
      [op.successStatus]: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
      ...Object.fromEntries(
        [...errorStatuses].map(([status, codes]) => [status, { description: codes.join(', '), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
      ),
    },
  };
}

/** OpenAPI 3.1 document derived from the operations table and its zod schemas (never written by hand). */
export function openApiDocument(opts: { includeDev?: boolean } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of Object.values(operations) as Operation[]) {
    if (op.tag === 'dev' && !opts.includeDev) continue;
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[op.method] = operationDoc(op);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'songli 送礼物 API', version: '1.0.0', description: 'Amounts are integer fen; times are ISO-8601 UTC.' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ErrorSchema },
    },
  };
}
