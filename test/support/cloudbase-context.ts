/** Cloud function invocation contexts and events shaped as CloudBase (SCF) passes them. */
import { randomUUID } from 'node:crypto';

export const TCB_ENV_ID = 'songli-test-1a2b3c';

/** The `context` argument of exports.main; the caller's WeChat identity rides in `environment`. */
export function scfContext(functionName: string, openid?: string) {
  const environment: Record<string, string> = { SCF_NAMESPACE: TCB_ENV_ID, TCB_ENV: TCB_ENV_ID, TRIGGER_SRC: 'tcb' };
  if (openid)
    Object.assign(environment, {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
      WX_OPENID: openid,
      WX_APPID: 'wx5f0c1b2a3d4e5f60',
      WX_UNIONID: `u_${openid}`,
      WX_CLIENTIP: '203.0.113.9',
    });
  return {
    callbackWaitsForEmptyEventLoop: false,
    memory_limit_in_mb: 256,
    time_limit_in_ms: 10_000,
    request_id: randomUUID(),
    environ: '',
    environment: JSON.stringify(environment),
    function_version: '$LATEST',
    function_name: functionName,
    namespace: TCB_ENV_ID,
    tencentcloud_region: 'ap-shanghai',
    tencentcloud_appid: '1250000000',
    tencentcloud_uin: '100000000001',
  };
}

/** The HTTP access service's integration request. */
export function integrationRequest(
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const body = opts.rawBody ?? (opts.body === undefined ? '' : JSON.stringify(opts.body));
  return {
    path,
    httpMethod: method,
    headers: {
      host: `${TCB_ENV_ID}.ap-shanghai.app.tcloudbase.com`,
      'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50',
      'x-forwarded-proto': 'https',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    queryStringParameters: opts.query ?? {},
    requestContext: { requestId: randomUUID().replace(/-/g, ''), envId: TCB_ENV_ID, appId: 1250000000, uin: 100000000001 },
    body,
    isBase64Encoded: false,
  };
}

export const timerEvent = (triggerName: string) => ({
  Type: 'Timer',
  TriggerName: triggerName,
  Time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  Message: '',
});
