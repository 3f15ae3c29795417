import { randomUUID } from 'node:crypto';
import { AEAD_ALGORITHM, encryptResource } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import type { Clock } from '../../shared/ports/clock';
import { type SignatureMode, wechatpaySignatureHeaders } from './sign-as-wechatpay';
import type { Faults } from './standin-faults';
import { beijingTime, type StandinIdentity } from './standin-identity';
import type { StandinTimers } from './standin-timers';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
/** WeChat's retry intervals after an unacknowledged notification (facts §4: 15 s … 6 h, 24 h 4 min in all). */
export const WECHAT_NOTIFY_RETRY_DELAYS_MS: readonly number[] = [
  15 * S,
  15 * S,
  30 * S,
  3 * M,
  10 * M,
  20 * M,
  30 * M,
  30 * M,
  30 * M,
  60 * M,
  3 * H,
  3 * H,
  3 * H,
  6 * H,
  6 * H,
];

export interface NotifyAttempt {
  at: string;
  signature: SignatureMode;
  /** The receiver's HTTP status; null when it did not answer in time or could not be reached. */
  status: number | null;
  error?: string;
  /** 200 or 204: WeChat stops retrying (facts §4). */
  acknowledged: boolean;
}

export interface NotificationRecord {
  id: string;
  eventType: string;
  url: string;
  body: string;
  /** The decrypted resource, for assertions. */
  resource: object;
  /** lost: never sent (injected); forged: a single attempt the receiver had to refuse. */
  state: 'pending' | 'delivered' | 'gave_up' | 'lost' | 'forged';
  attempts: NotifyAttempt[];
}

export interface NotifyEvent {
  eventType: string;
  summary: string;
  originalType: 'transaction' | 'refund';
  plaintext: object;
  url: string;
}

/**
 * Sends WeChat Pay notifications: the resource encrypted with the APIv3 key, the body signed per attempt, retried on
 * WeChat's schedule (injectable, so tests compress 24 hours into milliseconds) until the receiver answers 200/204
 * within the timeout. Injected faults delay, lose, duplicate it or precede it with a probe the receiver must refuse.
 */
export class NotifySender {
  readonly notifications: NotificationRecord[] = [];
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly opts: {
      identity: StandinIdentity;
      clock: Clock;
      faults: Faults;
      timers: StandinTimers;
      retryDelaysMs: readonly number[];
      timeoutMs: number;
    },
  ) {}

  send(event: NotifyEvent): NotificationRecord {
    const record = this.record(event, 'pending');
    const fault = this.opts.faults.takeNotification(event.eventType);
    if (fault?.kind === 'lose') record.state = 'lost';
    else this.opts.timers.track(this.deliver(record, fault?.kind === 'duplicate' ? 2 : 1, fault));
    return record;
  }

  /** One notification an attacker could send (the order is not paid): one attempt, signed badly or as a probe. */
  async forge(event: NotifyEvent, signature: 'bad_signature' | 'signtest'): Promise<NotificationRecord> {
    const record = this.record(event, 'forged');
    await this.attempt(record, signature);
    return record;
  }

  /** Aborts the requests in flight (the timers' close() ends the waits between retries). */
  close(): void {
    for (const a of this.aborts) a.abort();
  }

  private record(event: NotifyEvent, state: NotificationRecord['state']): NotificationRecord {
    const { apiV3Key } = this.opts.identity;
    const sealed = encryptResource({ apiV3Key, plaintext: JSON.stringify(event.plaintext), associatedData: event.originalType });
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      create_time: beijingTime(this.opts.clock.now()),
      resource_type: 'encrypt-resource',
      event_type: event.eventType,
      summary: event.summary,
      resource: {
        original_type: event.originalType,
        algorithm: AEAD_ALGORITHM,
        ciphertext: sealed.ciphertext,
        associated_data: sealed.associatedData,
        nonce: sealed.nonce,
      },
    });
    const record: NotificationRecord = {
      id,
      eventType: event.eventType,
      url: event.url,
      body,
      resource: event.plaintext,
      state,
      attempts: [],
    };
    this.notifications.push(record);
    return record;
  }

  private async deliver(record: NotificationRecord, copies: number, fault: ReturnType<Faults['takeNotification']>): Promise<void> {
    if (fault?.kind === 'delay') await this.opts.timers.sleep(fault.ms);
    if (fault?.kind === 'bad_signature' || fault?.kind === 'signtest') await this.attempt(record, fault.kind);
    for (let copy = 0; copy < copies; copy++) {
      for (let retry = 0; !(await this.attempt(record, 'genuine')); retry++) {
        const delay = this.opts.retryDelaysMs[retry];
        if (delay === undefined || this.opts.timers.isClosed) {
          record.state = 'gave_up';
          return;
        }
        await this.opts.timers.sleep(delay);
      }
    }
    record.state = 'delivered';
  }

  private async attempt(record: NotificationRecord, signature: SignatureMode): Promise<boolean> {
    if (this.opts.timers.isClosed) return false;
    const nowSeconds = Math.floor(this.opts.clock.now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      ...wechatpaySignatureHeaders(this.opts.identity, record.body, nowSeconds, signature),
    };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
    this.aborts.add(abort);
    const attempt: NotifyAttempt = { at: beijingTime(this.opts.clock.now()), signature, status: null, acknowledged: false };
    try {
      const res = await fetch(record.url, { method: 'POST', headers, body: record.body, signal: abort.signal });
      await res.arrayBuffer();
      attempt.status = res.status;
      attempt.acknowledged = res.status === 200 || res.status === 204;
    } catch (e) {
      attempt.error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
    record.attempts.push(attempt);
    return attempt.acknowledged;
  }
}
