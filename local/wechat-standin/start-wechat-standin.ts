/**
 * A local stand-in for WeChat on 127.0.0.1, for tests and for `npm start` without real keys: WeChat Pay's /v3 API
 * (JSAPI order, query, close, refunds) with real signatures both ways and encrypted notifications, api.weixin.qq.com's
 * login, stable token and subscribe messages, and its own /standin API to play the payer, inject faults and observe.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { systemClock } from '../../shared/adapters/system/system-clock';
import type { Clock } from '../../shared/ports/clock';
import { controlRoutes } from './control-routes';
import { type NotificationRecord, NotifySender, WECHAT_NOTIFY_RETRY_DELAYS_MS } from './notify-sender';
import { type OrderRecord, PayOrders } from './pay-orders';
import { PayRefunds, type RefundRecord, type RefundStatus } from './pay-refunds';
import { payRoutes } from './pay-routes';
import type { Answer } from './standin-answer';
import { ENDPOINTS, type Endpoint, Faults } from './standin-faults';
import { generateStandinIdentity, merchantSettings, type StandinIdentity } from './standin-identity';
import { StandinTimers } from './standin-timers';
import { WxLogin } from './wx-login';
import { type SentMessage, WxMessages } from './wx-messages';
import { wxRoutes } from './wx-routes';

export interface WechatStandinOptions {
  /** Default 0 (any free port); it always listens on 127.0.0.1. */
  port?: number;
  /** Keys and ids to reuse (default: freshly generated). */
  identity?: StandinIdentity;
  /** WeChat's clock: signatures' timestamps, expiry of codes, tokens, prepay_ids and orders. */
  clock?: Clock;
  /** Waits between notification attempts (default WeChat's 15 s … 6 h; tests pass milliseconds). */
  notifyRetryDelaysMs?: readonly number[];
  /** How long a receiver has to answer a notification (default 5 s, facts §4). */
  notifyTimeoutMs?: number;
  /** How long a refund stays PROCESSING before it settles (default 1 s). */
  refundSettleMs?: number;
  /** Minimum time between two refunds of one order (default 60 s, facts §6; 0 turns it off). */
  refundSpacingSeconds?: number;
  /** Subscribe-message templates and their keyword keys; without, any template id is accepted. */
  templates?: Record<string, readonly string[]>;
  /** open (default): every user accepts unless refused; one-time: each acceptance allows one message. */
  subscriptions?: 'open' | 'one-time';
}

export interface WechatStandin {
  /** Base URL for both api.mch.weixin.qq.com and api.weixin.qq.com paths. */
  url: string;
  identity: StandinIdentity;
  /** What the app's configuration needs (merchant key, serials, WeChat's public key, APIv3 key, appid/secret). */
  merchantSettings: ReturnType<typeof merchantSettings>;
  faults: Faults;
  orders: ReadonlyMap<string, OrderRecord>;
  refunds: ReadonlyMap<string, RefundRecord>;
  notifications: readonly NotificationRecord[];
  messages: readonly SentMessage[];
  /** Calls per endpoint (stable_token included), whatever they answered. */
  calls: Readonly<Record<Endpoint, number>>;
  /** The payer confirming: `{ prepay_id }` or wx.requestPayment's signed parameters (+ optional openid). */
  pay(request: { prepay_id: string; openid?: string } | Record<string, string>): Answer;
  issueLoginCode(openid: string, unionid?: string): string;
  settleRefund(outRefundNo: string, status?: Exclude<RefundStatus, 'PROCESSING'>): RefundRecord | undefined;
  refuseSubscription(openid: string, templateId?: string): void;
  acceptSubscription(openid: string, templateId: string, times?: number): void;
  /** Resolves when no notification is being delivered or retried and no refund is waiting to settle. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWechatStandin(opts: WechatStandinOptions = {}): Promise<WechatStandin> {
  const identity = opts.identity ?? generateStandinIdentity();
  const clock = opts.clock ?? systemClock;
  const faults = new Faults();
  const timers = new StandinTimers();
  const calls = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<Endpoint, number>;
  const notify = new NotifySender({
    identity,
    clock,
    faults,
    timers,
    retryDelaysMs: opts.notifyRetryDelaysMs ?? WECHAT_NOTIFY_RETRY_DELAYS_MS,
    timeoutMs: opts.notifyTimeoutMs ?? 5000,
  });
  const orders = new PayOrders({ identity, clock, notify });
  const refunds = new PayRefunds({
    clock,
    orders,
    notify,
    faults,
    timers,
    settleMs: opts.refundSettleMs ?? 1000,
    spacingSeconds: opts.refundSpacingSeconds ?? 60,
  });
  const login = new WxLogin({ identity, clock });
  const messages = new WxMessages({ clock, login, templates: opts.templates ?? null, subscriptions: opts.subscriptions ?? 'open' });
  const snapshot = () => ({
    mchid: identity.mchid,
    appId: identity.appId,
    orders: [...orders.byOutTradeNo.values()].map((o) => ({ ...orders.transactionView(o), prepay_id: o.prepayId })),
    refunds: [...refunds.byOutRefundNo.values()].map((r) => refunds.view(r)),
    notifications: notify.notifications,
    messages: messages.sent,
    calls,
  });

  const app = new Hono();
  app.route('/', payRoutes({ identity, clock, faults, timers, orders, refunds, calls }) as unknown as Hono);
  app.route('/', wxRoutes({ faults, timers, login, messages, calls }));
  app.route('/', controlRoutes({ orders, refunds, notify, faults, login, messages, snapshot }));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    identity,
    merchantSettings: merchantSettings(identity, url),
    faults,
    orders: orders.byOutTradeNo,
    refunds: refunds.byOutRefundNo,
    notifications: notify.notifications,
    messages: messages.sent,
    calls,
    pay: (request) => orders.pay(request),
    issueLoginCode: (openid, unionid) => login.issueCode(openid, unionid),
    settleRefund: (outRefundNo, status) => refunds.settle(outRefundNo, status),
    refuseSubscription: (openid, templateId) => messages.refuse(openid, templateId),
    acceptSubscription: (openid, templateId, times) => messages.accept(openid, templateId, times),
    idle: () => timers.idle(),
    async close() {
      timers.close();
      notify.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as Server).closeAllConnections?.();
      });
    },
  };
}
