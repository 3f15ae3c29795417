import type { DevPaymentGateway } from '../adapters/dev/dev-payment-gateway';
import type { SinkFulfillment } from '../adapters/dev/sink-fulfillment';
import type { SinkNotifier } from '../adapters/dev/sink-notifier';

/** What the local mode's /dev routes reach: never wired on a deployed function. */
export interface DevServices {
  issueToken(userId: string): Promise<string>;
  payments: DevPaymentGateway;
  /** Null when FULFILLMENT_WEBHOOK_URL is set (handoffs go to the real endpoint). */
  fulfillmentSink: SinkFulfillment | null;
  notifier: SinkNotifier;
  /** Runs the cleanup and every dispatcher once. */
  runMaintenance(): Promise<unknown>;
}
