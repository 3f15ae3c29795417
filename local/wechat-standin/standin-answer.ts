import { randomBytes } from 'node:crypto';
import type * as z from 'zod';

/** What an endpoint answers before the HTTP shell signs it: a status, a JSON body (none for 204). */
export interface Answer {
  status: number;
  body?: unknown;
  /** The number WeChat appends to Request-ID on errors (facts §3: 268498688 for an out_trade_no reused with other params). */
  errno?: number;
}

export const ok = (body: unknown, status = 200): Answer => ({ status, body });

/** WeChat Pay's error shape: `{ code, message }` with its HTTP status. */
export const payError = (status: number, code: string, message: string, errno?: number): Answer => ({
  status,
  body: { code, message },
  ...(errno === undefined ? {} : { errno }),
});

/** 400 PARAM_ERROR naming the first field that failed, as WeChat names the offending input. */
export const paramError = (error: z.ZodError): Answer => {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  return payError(400, 'PARAM_ERROR', `参数错误: ${field}: ${issue?.message ?? 'invalid'}`);
};

/** api.weixin.qq.com's error shape: HTTP 200 with `{ errcode, errmsg }`, the message ending in a request id. */
export const wxError = (errcode: number, errmsg: string): Answer => ({
  status: 200,
  body: {
    errcode,
    errmsg: `${errmsg} rid: ${randomBytes(12)
      .toString('hex')
      .replace(/(.{8})(.{4})(.{4})/, '$1-$2-$3-')}`,
  },
});

/** Sorted-key JSON: "the same parameters" whatever order the client wrote them in. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
