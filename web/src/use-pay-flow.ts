/** The pay step of a created gift: open the order, let the payer confirm in WeChat, wait for the server's word. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type GiverGiftWithLink, type ResponseOf } from './api';
import { go } from './router';
import { currentSession, rememberClaimToken } from './session';
import {
  confirmAtStandin,
  type PayArgs,
  payThroughBridge,
  type StandinOrder,
  standinOrder,
  standinUrl,
  waitForPayment,
  wechatBridge,
} from './wechat-pay';

export type PayStop =
  /** The payer closed WeChat's sheet: the gift still awaits payment, the same order can be paid again. */
  | 'user_canceled'
  | 'wallet_failed'
  /** No word from the server in time: maybe paid, maybe not; the gift card will tell. */
  | 'timeout'
  | 'gift_canceled'
  | 'outside_wechat'
  | 'error';

export type PayState =
  | { step: 'idle' }
  | { step: 'opening' }
  | { step: 'sheet'; order: StandinOrder; busy: boolean; error: unknown }
  | { step: 'confirming' }
  | { step: 'stopped'; reason: PayStop; error?: unknown };

export function usePayFlow() {
  const [state, setState] = useState<PayState>({ step: 'idle' });
  const opened = useRef<{ giftId: string; payment: PayArgs; standinUrl: string } | null>(null);
  const giftId = useRef<string | null>(null);
  const leaving = useRef(new AbortController());
  useEffect(() => () => leaving.current.abort(), []);

  const land = (gift: GiverGiftWithLink) => {
    if (gift.claimToken) rememberClaimToken(gift.id, gift.claimToken);
    go(`/sent/${gift.id}`);
  };
  const stop = (reason: PayStop, error?: unknown) => {
    if (!leaving.current.signal.aborted) setState({ step: 'stopped', reason, error });
  };
  const guarded = (work: () => Promise<void>) => work().catch((e: unknown) => stop('error', e));

  const awaitPayment = async (id: string) => {
    setState({ step: 'confirming' });
    const outcome = await waitForPayment(id, leaving.current.signal);
    if (outcome.kind === 'paid') land(outcome.gift);
    else if (outcome.kind === 'canceled') stop('gift_canceled');
    else if (outcome.kind === 'timeout') stop('timeout');
  };

  /**
   * 去支付 (again): POST /pay answers the same order each time, so a retry never opens a second one. `openedWith`: the
   * order POST /gifts opened with the gift (WeChat Pay), which needs no second request.
   */
  const payFor = (id: string, openedWith: PayArgs | null = null) =>
    guarded(async () => {
      giftId.current = id;
      setState({ step: 'opening' });
      let payment = openedWith;
      if (!payment) {
        const opened = await api<ResponseOf<'payGift'>>('POST', `/gifts/${encodeURIComponent(id)}/pay`);
        if (!opened.payment) return land(opened.gift); // the dev provider pays at once; or it was paid meanwhile
        payment = opened.payment;
      }
      const bridge = await wechatBridge();
      if (bridge) {
        const result = await payThroughBridge(bridge, payment);
        if (result === 'ok') return awaitPayment(id);
        return stop(result === 'cancel' ? 'user_canceled' : 'wallet_failed');
      }
      const base = await standinUrl();
      if (!base) return stop('outside_wechat');
      const order = await standinOrder(base, payment);
      opened.current = { giftId: id, payment, standinUrl: base };
      setState({ step: 'sheet', order, busy: false, error: null });
    });

  const confirmSheet = () =>
    guarded(async () => {
      const o = opened.current;
      if (!o) return;
      setState((s) => (s.step === 'sheet' ? { ...s, busy: true, error: null } : s));
      try {
        await confirmAtStandin(o.standinUrl, o.payment, currentSession()?.userId);
      } catch (e) {
        // Already paid (another tab, a retry after a lost answer): the server's word is all that is missing.
        if (!(e instanceof ApiError && e.code === 'ORDER_PAID')) {
          setState((s) => (s.step === 'sheet' ? { ...s, busy: false, error: e } : s));
          return;
        }
      }
      await awaitPayment(o.giftId);
    });

  const cancelSheet = () => setState((s) => (s.step === 'sheet' && !s.busy ? { step: 'stopped', reason: 'user_canceled' } : s));
  const recheck = () => (giftId.current ? guarded(() => awaitPayment(giftId.current!)) : Promise.resolve());

  const busy = state.step === 'opening' || state.step === 'sheet' || state.step === 'confirming';
  return { state, busy, payFor, confirmSheet, cancelSheet, recheck };
}
