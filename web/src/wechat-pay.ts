/**
 * Paying a gift with WeChat Pay from the H5 pages: WeChat's own JSAPI bridge inside WeChat, or, locally, the WeChat
 * stand-in's pay sheet; then the server's word that the money arrived (the wallet's "ok" is not the payment).
 */
import { ApiError, api, type GiverGiftWithLink, type ResponseOf } from './api';

/** What POST /gifts/:id/pay hands over for the wallet: wx.requestPayment's arguments plus the appId paySign signs. */
export type PayArgs = NonNullable<ResponseOf<'payGift'>['payment']>;

interface BridgeResult {
  err_msg: string;
}
/** The part of WeChat's in-app JS bridge the JSAPI (公众号 H5) payment uses. */
export interface WeixinJSBridge {
  invoke(name: 'getBrandWCPayRequest', args: PayArgs, callback: (res: BridgeResult) => void): void;
}
declare global {
  interface Window {
    WeixinJSBridge?: WeixinJSBridge;
  }
}

/** The bridge when the page runs inside WeChat; it may be injected after load, announced by WeixinJSBridgeReady. */
export function wechatBridge(waitMs = 3000): Promise<WeixinJSBridge | null> {
  if (window.WeixinJSBridge) return Promise.resolve(window.WeixinJSBridge);
  if (!/MicroMessenger/i.test(navigator.userAgent)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      document.removeEventListener('WeixinJSBridgeReady', done);
      resolve(window.WeixinJSBridge ?? null);
    };
    const timer = setTimeout(done, waitMs);
    document.addEventListener('WeixinJSBridgeReady', done);
  });
}

export type WalletResult = 'ok' | 'cancel' | 'fail';

/** WeChat's pay sheet through the bridge: it answers get_brand_wcpay_request:ok|cancel|fail. */
export const payThroughBridge = (bridge: WeixinJSBridge, payment: PayArgs): Promise<WalletResult> =>
  new Promise((resolve) => {
    bridge.invoke('getBrandWCPayRequest', payment, (res) => {
      const verdict = res.err_msg.split(':').pop();
      resolve(verdict === 'ok' ? 'ok' : verdict === 'cancel' ? 'cancel' : 'fail');
    });
  });

/** Where the local WeChat stand-in listens, or null (a deploy without dev routes, or the dev payment provider). */
export async function standinUrl(): Promise<string | null> {
  try {
    return (await api<ResponseOf<'devWechat'>>('GET', '/dev/wechat')).standinUrl;
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) return null;
    throw e;
  }
}

/** The order as the stand-in's pay sheet shows it (GET /standin/prepay/{prepay_id}). */
export interface StandinOrder {
  description: string;
  out_trade_no: string;
  /** Fen. */
  total: number;
  openid: string;
  trade_state: string;
}

const prepayIdOf = (payment: PayArgs) => payment.package.slice('prepay_id='.length);

/** The stand-in answers WeChat Pay's error shape `{code, message}`; it becomes an ApiError the pages already word. */
async function standinCall<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError(0, 'NETWORK', '网络不可用');
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const { code = 'WECHATPAY_ERROR', message = res.statusText } = (body ?? {}) as { code?: string; message?: string };
    throw new ApiError(res.status, code, message);
  }
  return body as T;
}

export async function standinOrder(base: string, payment: PayArgs): Promise<StandinOrder> {
  const order = await standinCall<StandinOrder>(`${base}/standin/prepay/${encodeURIComponent(prepayIdOf(payment))}`);
  if (typeof order?.total !== 'number' || typeof order.description !== 'string') throw new ApiError(502, 'WECHATPAY_ERROR', 'bad order');
  return order;
}

/** The payer confirms: the stand-in checks paySign and the payer, marks the order paid and notifies the server. */
export const confirmAtStandin = (base: string, payment: PayArgs, openid: string | undefined): Promise<unknown> =>
  standinCall(`${base}/standin/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(openid ? { ...payment, openid } : payment),
  });

export type PaymentOutcome = { kind: 'paid' | 'canceled'; gift: GiverGiftWithLink } | { kind: 'timeout' } | { kind: 'abandoned' };

/** Backoff between reads of the gift (the last repeats), and how long the page waits before saying so. */
export const POLL_DELAYS_MS = [500, 1000, 2000] as const;
export const CONFIRM_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads the gift until the server has the payment (a notification, or the order query that GET /gifts/:id makes while
 * the gift awaits payment) or the order is canceled. Blips (network, 5xx, 429) are retried until the deadline.
 */
export async function waitForPayment(giftId: string, signal: AbortSignal): Promise<PaymentOutcome> {
  const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
  for (let i = 0; ; i++) {
    await sleep(POLL_DELAYS_MS[Math.min(i, POLL_DELAYS_MS.length - 1)]!);
    if (signal.aborted) return { kind: 'abandoned' };
    try {
      const { gift } = await api<ResponseOf<'getGift'>>('GET', `/gifts/${encodeURIComponent(giftId)}`);
      if (gift.status === 'canceled') return { kind: 'canceled', gift };
      if (gift.status !== 'awaiting_payment') return { kind: 'paid', gift };
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) throw e;
    }
    if (Date.now() >= deadline) return { kind: 'timeout' };
  }
}
