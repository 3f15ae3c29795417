import type { SimulatedPaymentGateway } from '../adapters/simulated/simulated-payment-gateway';
import type { SinkFulfillment } from '../adapters/simulated/sink-fulfillment';
import type { SinkNotifier } from '../adapters/simulated/sink-notifier';

/** What the local mode's /dev routes reach: never wired on a deployed function. */
export interface DevServices {
  issueToken(userId: string): Promise<string>;
  payments: SimulatedPaymentGateway;
  /** Null when FULFILLMENT_WEBHOOK_URL is set (handoffs go to the real endpoint). */
  fulfillmentSink: SinkFulfillment | null;
  notifier: SinkNotifier;
  /** Runs the cleanup and every dispatcher once. */
  runMaintenance(): Promise<unknown>;
}
