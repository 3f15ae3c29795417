import type { Fulfillment, FulfillmentHandoff } from '../../shared/ports/fulfillment';
import type { Notice, NoticeOutcome, Notifier } from '../../shared/ports/notifier';
import { FingerprintSet } from './fingerprint-set';

/*
 * The benchmarks' receivers. They answer as the local sinks do (shared/adapters/simulated/), but keep only what a run
 * reconciles, not every delivery's body: at day scale the sinks' in-memory records (a handoff carries the address)
 * were gigabytes of heap that every major garbage collection walked, a cost of the harness, not of songli.
 */

/** Fulfillment that keeps each idempotency key once (as a fingerprint) and counts every delivery. */
export class TallyFulfillment implements Fulfillment {
  private readonly deliveries = new FingerprintSet();
  private total = 0;

  async handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }): Promise<{ reference: string | null }> {
    this.deliveries.add(req.idempotencyKey);
    this.total++;
    return { reference: `sink:${req.handoff.giftId}` };
  }

  /** Distinct handoffs received (one per accepted gift when effects leave exactly once). */
  get received(): number {
    return this.deliveries.size;
  }

  /** Deliveries beyond the first per key: retries a receiver acknowledges and drops. */
  get repeats(): number {
    return this.total - this.deliveries.size;
  }
}

/**
 * A notifier that counts what it was asked to send; `keyed`, also each idempotency key once (as a fingerprint), so a
 * run can count notices sent more than once (WeChat's subscription messages have no idempotency key: a repeat is a
 * second message the user reads). Off by default: hashing every notice costs the per-operation benchmarks CPU.
 */
export class TallyNotifier implements Notifier {
  sent = 0;
  private readonly keys: FingerprintSet | null;

  constructor(opts: { keyed?: boolean } = {}) {
    this.keys = opts.keyed ? new FingerprintSet() : null;
  }

  async notify(notice: Notice): Promise<NoticeOutcome> {
    this.sent++;
    this.keys?.add(notice.idempotencyKey);
    return { status: 'sent' };
  }

  /** Notices sent beyond the first per idempotency key (null unless keyed). */
  get repeats(): number | null {
    return this.keys ? this.sent - this.keys.size : null;
  }
}
