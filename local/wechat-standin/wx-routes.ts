import { Hono } from 'hono';
import { type Answer, wxError } from './standin-answer';
import type { Endpoint, Faults } from './standin-faults';
import type { StandinTimers } from './standin-timers';
import type { WxLogin } from './wx-login';
import type { WxMessages } from './wx-messages';

export interface WxRouteDeps {
  faults: Faults;
  timers: StandinTimers;
  login: WxLogin;
  messages: WxMessages;
  calls: Record<Endpoint, number>;
}

const readJson = async (req: Request): Promise<unknown> => {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
};

/** api.weixin.qq.com answers HTTP 200 with an errcode for nearly everything, so injected faults mostly do too. */
async function withFault(d: WxRouteDeps, endpoint: Endpoint, run: () => Answer): Promise<Answer> {
  d.calls[endpoint]++;
  const fault = d.faults.takeCall(endpoint);
  if (!fault) return run();
  switch (fault.kind) {
    case 'system_error':
      if (fault.processed) run();
      return wxError(-1, 'system error');
    case 'errcode':
      return wxError(fault.errcode, fault.errmsg ?? 'injected by the stand-in');
    case 'error':
      if (fault.processed) run();
      return { status: fault.status, body: { errcode: -1, errmsg: fault.message } };
    case 'timeout': {
      const answer = fault.processed ? run() : wxError(-1, 'system error');
      await d.timers.sleep(fault.ms);
      return answer;
    }
    default:
      return run();
  }
}

/** jscode2session, stable_token and subscribe/send, shaped as api.weixin.qq.com's. */
export function wxRoutes(d: WxRouteDeps): Hono {
  const app = new Hono();
  const reply = (answer: Answer) => Response.json(answer.body, { status: answer.status });
  app.get('/sns/jscode2session', async (c) => reply(await withFault(d, 'jscode2session', () => d.login.code2session(c.req.query()))));
  app.post('/cgi-bin/stable_token', async (c) => {
    const body = await readJson(c.req.raw);
    return reply(await withFault(d, 'stable_token', () => d.login.stableToken(body)));
  });
  app.post('/cgi-bin/message/subscribe/send', async (c) => {
    const body = await readJson(c.req.raw);
    return reply(await withFault(d, 'subscribe_send', () => d.messages.send(c.req.query('access_token'), body)));
  });
  return app;
}
