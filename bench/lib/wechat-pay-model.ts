/**
 * WeChat Pay as the store sees it, for bench/cost.ts: two-phase orders (opening one takes no money; the payer confirms
 * in the wallet and a notification follows), refunds answered PROCESSING and settled by a REFUND.SUCCESS notification.
 * No HTTP and no signatures (the notify route verifies those before it calls applyPaymentEvent, and they cost no
 * store requests): the bench hands the events the route would apply to applyPaymentEvent itself. The real adapter
 * against the WeChat stand-in is exercised by test/wechatpay/.
 */
import type {
  ConfirmedPayment,
  OrderState,
  PaymentEvent,
  PaymentGateway,
  PaymentOrder,
  Prepared,
  RefundRequest,
  RefundState,
} from '../../shared/ports/payments';

interface ModelOrder {
  order: PaymentOrder;
  paid: ConfirmedPayment | null;
  closed: boolean;
}

export class WechatPayModel implements PaymentGateway {
  readonly provider = 'wechatpay';
  readonly chargesOnPrepare = false;
  private readonly orders = new Map<string, ModelOrder>();
  private readonly refunds = new Map<string, RefundState & { orderNo: string }>();
  /** REFUND.SUCCESS notifications WeChat Pay has yet to send (each refund settles a moment after it is accepted). */
  private readonly refundNotices: PaymentEvent[] = [];
  private transactions = 0;

  constructor(private readonly now: () => Date) {}

  async prepare(order: PaymentOrder): Promise<Prepared> {
    const known = this.orders.get(order.orderNo);
    if (!known) this.orders.set(order.orderNo, { order, paid: null, closed: false });
    const prepayId = `wx_model_${order.orderNo}`;
    const payParams = {
      appId: 'wx_model',
      timeStamp: '1764374400',
      nonceStr: 'n',
      package: `prepay_id=${prepayId}`,
      signType: 'RSA' as const,
    };
    return { kind: 'confirm', payParams: { ...payParams, paySign: 'model' } };
  }

  /** The payer confirms in WeChat: the order is paid and TRANSACTION.SUCCESS is what WeChat Pay then POSTs. */
  confirm(orderNo: string): PaymentEvent {
    const o = this.orders.get(orderNo);
    if (!o || o.closed) throw new Error(`no open order ${orderNo}`);
    o.paid ??= {
      orderNo,
      paymentId: `4200model${++this.transactions}`,
      amountFen: o.order.amountFen,
      payerId: o.order.payerId,
      paidAt: this.now().toISOString(),
    };
    return { type: 'payment', orderNo, paid: true, payment: o.paid };
  }

  async query(orderNo: string): Promise<OrderState> {
    const o = this.orders.get(orderNo);
    if (o?.paid) return { state: 'paid', payment: o.paid };
    return o?.closed ? { state: 'closed' } : { state: 'unpaid' };
  }

  async close(orderNo: string): Promise<'closed' | 'paid'> {
    const o = this.orders.get(orderNo);
    if (o?.paid) return 'paid';
    if (o) o.closed = true;
    return 'closed';
  }

  async refund(req: RefundRequest): Promise<RefundState> {
    const known = this.refunds.get(req.refundNo);
    if (known) return known;
    const state = { refundNo: req.refundNo, orderNo: req.orderNo, status: 'processing' as const, refundId: `50model${req.refundNo}` };
    const accepted = { ...state, amountFen: req.refundFen, settledAt: null };
    this.refunds.set(req.refundNo, accepted);
    const settled: RefundState = { ...accepted, status: 'succeeded', settledAt: this.now().toISOString() };
    this.refundNotices.push({ type: 'refund', orderNo: req.orderNo, refund: settled });
    return accepted;
  }

  async queryRefund(refundNo: string): Promise<RefundState | null> {
    return this.refunds.get(refundNo) ?? null;
  }

  /** The refunds settled since the last call: their REFUND.SUCCESS notifications, in order (the refund then reads settled). */
  takeRefundNotifications(): PaymentEvent[] {
    const due = this.refundNotices.splice(0);
    for (const e of due) if (e.type === 'refund') this.refunds.set(e.refund.refundNo, { ...e.refund, orderNo: e.orderNo });
    return due;
  }

  async parseNotification(): Promise<PaymentEvent> {
    throw new Error('the model has no HTTP notifications: the bench applies its events directly');
  }
}
