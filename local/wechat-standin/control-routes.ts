import { Hono } from 'hono';
import { cors } from 'hono/cors';
import * as z from 'zod';
import type { NotifySender } from './notify-sender';
import type { PayOrders } from './pay-orders';
import type { PayRefunds } from './pay-refunds';
import { type Answer, ok, paramError, payError } from './standin-answer';
import { FaultRule, type Faults } from './standin-faults';
import { randomDigits } from './standin-identity';
import type { WxLogin } from './wx-login';
import type { WxMessages } from './wx-messages';

export interface ControlDeps {
  orders: PayOrders;
  refunds: PayRefunds;
  notify: NotifySender;
  faults: Faults;
  login: WxLogin;
  messages: WxMessages;
  snapshot: () => unknown;
}

const ForgeRequest = z.object({
  out_trade_no: z.string().min(1),
  signature: z.enum(['bad_signature', 'signtest']).default('bad_signature'),
});
const LoginCodeRequest = z.object({ openid: z.string().min(1), unionid: z.string().min(1).optional() });
const SubscriptionRequest = z.object({
  openid: z.string().min(1),
  template_id: z.string().min(1).optional(),
  action: z.enum(['accept', 'refuse']),
  times: z.number().int().min(1).default(1),
});
const SettleRequest = z.object({ status: z.enum(['SUCCESS', 'ABNORMAL', 'CLOSED']).default('SUCCESS') });

const readJson = async (req: Request): Promise<unknown> => {
  const text = await req.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Not WeChat: the stand-in's own API under /standin for tests and the local H5 pay sheet (CORS open, it is called
 * from the app's pages): the payer confirming, login codes, subscriptions, injected faults, forged notifications,
 * settling refunds now, and everything recorded.
 */
export function controlRoutes(d: ControlDeps): Hono {
  const app = new Hono();
  app.use('/standin/*', cors());
  const reply = (answer: Answer) =>
    answer.status === 204 ? new Response(null, { status: 204 }) : Response.json(answer.body, { status: answer.status });
  const parsing =
    <S extends z.ZodType>(schema: S, run: (input: z.output<S>) => Answer) =>
    async (c: { req: { raw: Request } }) => {
      const parsed = schema.safeParse(await readJson(c.req.raw));
      return reply(parsed.success ? run(parsed.data) : paramError(parsed.error));
    };

  app.post('/standin/pay', async (c) => reply(d.orders.pay(await readJson(c.req.raw))));
  app.get('/standin/prepay/:prepayId', (c) => {
    const order = d.orders.findByPrepayId(c.req.param('prepayId'));
    if (!order) return reply(payError(404, 'PREPAY_NOT_FOUND', 'no order has this prepay_id'));
    const { description, out_trade_no, amount, payer } = order.request;
    return reply(ok({ description, out_trade_no, total: amount.total, openid: payer.openid, trade_state: order.tradeState }));
  });
  app.post(
    '/standin/login-code',
    parsing(LoginCodeRequest, (r) => ok({ code: d.login.issueCode(r.openid, r.unionid) })),
  );
  app.post(
    '/standin/subscriptions',
    parsing(SubscriptionRequest, (r) => {
      if (r.action === 'refuse') d.messages.refuse(r.openid, r.template_id);
      else if (r.template_id) d.messages.accept(r.openid, r.template_id, r.times);
      else return payError(400, 'PARAM_ERROR', 'accept needs a template_id');
      return { status: 204 };
    }),
  );
  app.post(
    '/standin/faults',
    parsing(FaultRule, (rule) => {
      d.faults.add(rule);
      return { status: 204 };
    }),
  );
  app.delete('/standin/faults', () => {
    d.faults.clear();
    return reply({ status: 204 });
  });
  app.post('/standin/refunds/:outRefundNo/settle', async (c) => {
    const parsed = SettleRequest.safeParse(await readJson(c.req.raw));
    if (!parsed.success) return reply(paramError(parsed.error));
    const refund = d.refunds.settle(c.req.param('outRefundNo'), parsed.data.status);
    return reply(refund ? ok(d.refunds.view(refund)) : payError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在'));
  });
  app.post('/standin/forge-notification', async (c) => {
    const parsed = ForgeRequest.safeParse(await readJson(c.req.raw));
    if (!parsed.success) return reply(paramError(parsed.error));
    const order = d.orders.find(parsed.data.out_trade_no);
    if (!order) return reply(payError(404, 'ORDER_NOT_EXIST', '订单不存在'));
    // What an attacker would claim: this order paid, in full, now.
    const claim = { ...d.orders.transactionView(order), trade_state: 'SUCCESS', transaction_id: `4200${randomDigits(24)}` };
    const event = { eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction' as const, plaintext: claim };
    const record = await d.notify.forge({ ...event, url: order.request.notify_url }, parsed.data.signature);
    return reply(ok(record));
  });
  app.get('/standin/state', (c) => c.json(d.snapshot() as object));
  return app;
}
