import type { DevPaymentGateway } from '../adapters/simulated/dev-payment-gateway';
import type { SinkFulfillment } from '../adapters/simulated/sink-fulfillment';
import type { SinkNotifier } from '../adapters/simulated/sink-notifier';

/** What the local mode's /dev routes reach: never wired on a deployed function. */
export interface DevServices {
  issueToken(userId: string): Promise<string>;
  /** The dev payment provider, or null with PAYMENT_PROVIDER=wechatpay (refunds are WeChat Pay's then). */
  payments: DevPaymentGateway | null;
  /** The local WeChat stand-in, when the server started one (PAYMENT_PROVIDER=wechatpay without real keys). */
  wechatStandinUrl: string | null;
  /** Null when FULFILLMENT_WEBHOOK_URL is set (handoffs go to the real endpoint). */
  fulfillmentSink: SinkFulfillment | null;
  notifier: SinkNotifier;
  /** Runs the cleanup and every dispatcher once. */
  runMaintenance(): Promise<unknown>;
}
