import * as z from 'zod/mini';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from './error-status';
import { responseSchemaOf } from './operation-responses';
import { type Operation, operations } from './operations';

/** JSON Schema of a zod schema as it appears on the wire (`io` picks request input or response output). */
const schemaOf = (s: z.ZodMiniType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
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
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

/** How WeChat Pay expects a refused notification to be answered (facts §4); the message carries songli's code. */
const WECHATPAY_FAIL = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { const: 'FAIL' }, message: { type: 'string' } },
};

/** A body read as raw bytes (its signature covers them): WeChat Pay's notification envelope. */
const RAW_BODY = {
  type: 'object',
  description:
    'WeChat Pay notification: {id, create_time, event_type, resource_type, resource{algorithm, ciphertext, nonce, associated_data}}',
};

/** Codes every route of a kind can answer, beyond the ones it lists. */
function commonErrors(op: Operation): ErrorCode[] {
  const out: ErrorCode[] = ['INTERNAL'];
  if (op.auth === 'user') out.push('UNAUTHENTICATED');
  if (op.body) out.push('MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED');
  if (op.tag !== 'dev') out.push('DEPENDENCY_UNAVAILABLE');
  return out;
}

const TAGS = [
  { name: 'profile', description: "The caller's display name, shown on the gifts they send" },
  { name: 'catalog', description: 'Products and whether they can be sent as gifts' },
  { name: 'giver', description: 'Sending a gift: create, pay, follow it; the giver never sees the address' },
  { name: 'recipient', description: 'The claim link: preview, claim, address, swap, accept or decline, thanks; never a price' },
  { name: 'merchant', description: "Callbacks from the merchant's fulfillment, authenticated by signature" },
  { name: 'payments', description: 'Notifications from WeChat Pay, authenticated by its signature' },
  { name: 'auth', description: 'Sign-in with WeChat: the app issues its own tokens and publishes their keys (AWS, local)' },
  { name: 'dev', description: 'Local mode only' },
];

function operationDoc(op: Operation) {
  const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = op.query ? schemaOf(op.query, 'input') : null;
  const requiredQuery = (query?.required as string[] | undefined) ?? [];
  const queryParams = Object.entries((query?.properties ?? {}) as Record<string, object>).map(([name, schema]) => ({
    name,
    in: 'query',
    required: requiredQuery.includes(name),
    schema,
  }));
  const headerParams = Object.entries(op.headers ?? {}).map(([name, h]) => ({
    name,
    in: 'header',
    required: h.required,
    description: h.description,
    schema: { type: 'string' },
  }));
  const errorStatuses = new Map<number, ErrorCode[]>();
  for (const code of new Set([...op.errors, ...commonErrors(op)])) {
    const status = ERROR_STATUS[code];
    errorStatuses.set(status, [...(errorStatuses.get(status) ?? []), code]);
  }
  return {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    security: op.auth === 'user' ? [{ bearer: [] }] : [],
    parameters: [...pathParams, ...queryParams, ...headerParams],
    ...(op.body
      ? { requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } }
      : {}),
    ...(op.rawBody ? { requestBody: { required: true, content: { 'application/json': { schema: RAW_BODY } } } } : {}),
    responses: {
      [op.successStatus]:
        op.successStatus === 204
          ? { description: 'Acknowledged (no body)' }
          : { description: 'OK', content: { 'application/json': { schema: schemaOf(responseSchemaOf(op), 'output') } } },
      ...Object.fromEntries(
        [...errorStatuses]
          .sort(([a], [b]) => a - b)
          .map(([status, codes]) => [
            status,
            {
              description: codes.join(', '),
              content: {
                'application/json': {
                  schema: { $ref: `#/components/schemas/${op.errorFormat === 'wechatpay' ? 'WechatpayFail' : 'Error'}` },
                },
              },
            },
          ]),
      ),
    },
  };
}

/** OpenAPI 3.1 document derived from the operations table and its zod schemas (never written by hand). */
export function openApiDocument(opts: { includeDev?: boolean; serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of Object.values(operations) as Operation[]) {
    if (op.tag === 'dev' && !opts.includeDev) continue;
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][op.method] = operationDoc(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'songli 送礼物 API',
      version: '1.0.0',
      description: 'Amounts are integer fen; times are ISO-8601 UTC.',
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [
      { url: opts.serverUrl ?? 'http://127.0.0.1:3000', description: 'The local server (npm start); deploys serve the same paths' },
    ],
    tags: TAGS.filter((t) => t.name !== 'dev' || opts.includeDev),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ErrorSchema, WechatpayFail: WECHATPAY_FAIL },
    },
  };
}
