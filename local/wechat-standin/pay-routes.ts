import { randomBytes } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { parseAuthorizationHeader, signingMessage, verify } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import type { Clock } from '../../shared/ports/clock';
import type { PayOrders } from './pay-orders';
import type { PayRefunds } from './pay-refunds';
import { type SignatureMode, wechatpaySignatureHeaders } from './sign-as-wechatpay';
import { type Answer, payError } from './standin-answer';
import type { Endpoint, Faults } from './standin-faults';
import type { StandinIdentity } from './standin-identity';
import type { StandinTimers } from './standin-timers';

export interface PayRouteDeps {
  identity: StandinIdentity;
  clock: Clock;
  faults: Faults;
  timers: StandinTimers;
  orders: PayOrders;
  refunds: PayRefunds;
  calls: Record<Endpoint, number>;
}

type Handler = (params: string[], url: URL, body: unknown) => Answer;

const systemError = () => payError(500, 'SYSTEM_ERROR', '系统错误');

function routes(d: PayRouteDeps): Array<{ method: string; path: RegExp; endpoint: Endpoint; handle: Handler }> {
  return [
    { method: 'POST', path: /^\/v3\/pay\/transactions\/jsapi$/, endpoint: 'jsapi', handle: (_, __, body) => d.orders.create(body) },
    {
      method: 'GET',
      path: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/,
      endpoint: 'query',
      handle: ([no], url) => d.orders.query(no!, url.searchParams.get('mchid')),
    },
    {
      method: 'POST',
      path: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/,
      endpoint: 'close',
      handle: ([no], _, body) => d.orders.close(no!, body),
    },
    { method: 'POST', path: /^\/v3\/refund\/domestic\/refunds$/, endpoint: 'refund', handle: (_, __, body) => d.refunds.create(body) },
    {
      method: 'GET',
      path: /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/,
      endpoint: 'refund_query',
      handle: ([no]) => d.refunds.query(no!),
    },
  ];
}

/** Facts §1: the request message signed with the merchant key whose serial the header names, ±5 min, else 401 SIGN_ERROR. */
function authorizationProblem(d: PayRouteDeps, header: string | undefined, method: string, target: string, body: string): Answer | null {
  const fail = (why: string) => payError(401, 'SIGN_ERROR', `签名错误: ${why}`);
  const auth = parseAuthorizationHeader(header);
  if (!auth) return fail('Authorization 缺失或格式错误');
  if (auth.mchid !== d.identity.mchid) return fail('mchid 与商户不符');
  if (auth.serialNo !== d.identity.merchant.serialNo) return fail('serial_no 不是商户API证书序列号');
  const now = Math.floor(d.clock.now().getTime() / 1000);
  if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(now - Number(auth.timestamp)) > 300) return fail('timestamp 与当前时间相差超过5分钟');
  if (!verify(d.identity.merchant.publicKeyPem, signingMessage(method, target, auth.timestamp, auth.nonceStr, body), auth.signature))
    return fail('签名验证失败');
  return null;
}

/** Runs a handler behind the fault injected for its endpoint, if any. */
async function withFault(d: PayRouteDeps, endpoint: Endpoint, run: () => Answer): Promise<{ answer: Answer; mode: SignatureMode }> {
  const fault = d.faults.takeCall(endpoint);
  if (!fault) return { answer: run(), mode: 'genuine' };
  switch (fault.kind) {
    case 'system_error':
      if (fault.processed) run();
      return { answer: systemError(), mode: 'genuine' };
    case 'error':
      if (fault.processed) run();
      return { answer: payError(fault.status, fault.code, fault.message), mode: 'genuine' };
    case 'timeout': {
      const answer = fault.processed ? run() : systemError();
      await d.timers.sleep(fault.ms);
      return { answer, mode: 'genuine' };
    }
    case 'bad_signature':
    case 'signtest':
      return { answer: run(), mode: fault.kind };
    default:
      return { answer: run(), mode: 'genuine' };
  }
}

/**
 * api.mch.weixin.qq.com's /v3 routes the app calls. Each request's Authorization is verified over the raw request
 * target and body; each answer, errors and 204 included, is signed with the 微信支付公钥 and carries a Request-ID.
 */
export function payRoutes(d: PayRouteDeps): Hono<{ Bindings: HttpBindings }> {
  const table = routes(d);
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('/v3/*', async (c) => {
    // The signature covers the request target as sent, so take it raw from node, not from the parsed URL.
    const target = c.env?.incoming?.url ?? new URL(c.req.url).pathname + new URL(c.req.url).search;
    const url = new URL(target, 'http://standin');
    const raw = await c.req.text();
    const route = table.find((r) => r.method === c.req.method && r.path.test(url.pathname));
    let result: { answer: Answer; mode: SignatureMode } = { answer: payError(404, 'NOT_FOUND', '接口不存在'), mode: 'genuine' };
    if (route) {
      d.calls[route.endpoint]++;
      const problem = authorizationProblem(d, c.req.header('authorization'), c.req.method, target, raw);
      const params = route.path.exec(url.pathname)!.slice(1).map(decodeURIComponent);
      result = problem
        ? { answer: problem, mode: 'genuine' }
        : await withFault(d, route.endpoint, () => {
            if (c.req.method === 'GET') return route.handle(params, url, undefined);
            try {
              return route.handle(params, url, JSON.parse(raw));
            } catch (e) {
              if (e instanceof SyntaxError) return payError(400, 'PARAM_ERROR', '参数错误: 请求体不是合法的JSON');
              throw e;
            }
          });
    }
    const { answer, mode } = result;
    const body = answer.status === 204 || answer.body === undefined ? '' : JSON.stringify(answer.body);
    const nowSeconds = Math.floor(d.clock.now().getTime() / 1000);
    const headers: Record<string, string> = {
      ...wechatpaySignatureHeaders(d.identity, body, nowSeconds, mode),
      'Request-ID': `${randomBytes(18).toString('hex').toUpperCase()}-${answer.errno ?? 0}`,
    };
    if (body) headers['content-type'] = 'application/json; charset=utf-8';
    return new Response(answer.status === 204 ? null : body, { status: answer.status, headers });
  });
  return app;
}
