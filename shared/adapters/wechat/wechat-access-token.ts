/**
 * The mini program's access token, from `POST /cgi-bin/stable_token` (never `/cgi-bin/token`: each call of that one
 * revokes the previous token, so parallel instances would revoke each other's, facts §8), kept in the store so every
 * instance uses one token, and in the process so a warm instance does not read the store for every notice.
 *
 * The stored record carries a lease: the instance that wins the conditional write of `leaseUntil` calls stable_token
 * and writes the token; the others use the token they have while it is valid, or wait for the one it writes. It is
 * renewed 5 minutes before it expires (when stable_token starts handing out the next one); force_refresh only after
 * WeChat rejected the stored token (40001 / 42001), at most once in 30 s across all instances (facts §8).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../ports/clock';
import { StoreUnavailableError } from '../../ports/gift-store';
import type { SharedValue, SharedValues } from '../../ports/shared-values';
import { describeError, postWechat, WechatCallError } from './wechat-api';

/** stable_token's renewal window: in the last 5 minutes a normal call hands out the next token. */
export const RENEW_BEFORE_SECONDS = 300;
/** force_refresh at most this often (WeChat refuses more with 45011). */
export const FORCE_SPACING_MS = 30_000;
/** A token this close to its expiry is not used: a send could arrive after it. */
const EXPIRY_MARGIN_MS = 15_000;

interface TokenRecord {
  token?: string;
  /** When WeChat stops accepting it (ms). */
  expiresAt?: number;
  /** When to ask for the next one (ms). */
  refreshAt?: number;
  /** An instance is calling stable_token until then (ms). */
  leaseUntil?: number;
  /** The last force_refresh (ms). */
  forcedAt?: number;
}

interface Held {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

export interface AccessTokenOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  values: SharedValues;
  clock: Clock;
  /** How long a stable_token call may take (default 5 s); the lease lasts 2 s longer. */
  timeoutMs?: number;
  /** How often an instance waiting for another's refresh reads the store again (default 100 ms). */
  pollMs?: number;
}

export class WechatAccessToken {
  private held: Held | null = null;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly key: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: AccessTokenOptions) {
    this.key = `wechat-access-token#${opts.appId}`;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
  }

  /** A token to call WeChat with. */
  current(): Promise<string> {
    if (this.held && this.now() < this.held.refreshAt) return Promise.resolve(this.held.token);
    return this.once('', () => this.obtain(null));
  }

  /** WeChat answered 40001 / 42001 to `rejected`: another token (one another instance wrote, or a forced one). */
  replace(rejected: string): Promise<string> {
    if (this.held?.token === rejected) this.held = null;
    return this.once(rejected, () => this.obtain(rejected));
  }

  /** Concurrent notices of one process share one look-up. */
  private once(key: string, run: () => Promise<string>): Promise<string> {
    let p = this.inflight.get(key);
    if (!p) {
      p = run().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async obtain(rejected: string | null): Promise<string> {
    const leaseMs = this.timeoutMs + 2_000;
    // Waiting is bounded in real time too: a test's frozen clock must not keep an instance waiting for ever.
    const giveUpAt = performance.now() + leaseMs + 1_000;
    for (let round = 0; round < 1_000; round++) {
      const stored = await this.store('read', () => this.opts.values.read(this.key));
      const rec: TokenRecord = stored ? (JSON.parse(stored.value) as TokenRecord) : {};
      const now = this.now();
      const leased = (rec.leaseUntil ?? 0) > now;
      const usable = rec.token !== undefined && rec.token !== rejected && now < (rec.expiresAt ?? 0) - EXPIRY_MARGIN_MS;
      if (usable && (now < (rec.refreshAt ?? 0) || leased)) return this.hold(rec);
      if (leased) {
        if (performance.now() > giveUpAt) throw new WechatCallError('waited too long for another instance to renew the access token', null);
        await sleep(this.opts.pollMs ?? 100);
        continue;
      }
      const force = rejected !== null && rec.token === rejected;
      if (force && now - (rec.forcedAt ?? 0) < FORCE_SPACING_MS)
        throw new WechatCallError('WeChat rejected an access token forced less than 30 s ago', null);
      const lease: TokenRecord = { ...rec, leaseUntil: now + leaseMs, ...(force ? { forcedAt: now } : {}) };
      const won = await this.store('write', () => this.opts.values.writeIf(this.key, JSON.stringify(lease), stored?.version ?? null));
      if (!won) continue; // another instance wrote first: read what it wrote
      return this.refresh(lease, won, force, usable ? rec : null);
    }
    throw new WechatCallError('the access token record kept changing under this instance', null);
  }

  /** Holds the lease: asks stable_token, writes what it answered. */
  private async refresh(lease: TokenRecord, won: SharedValue, force: boolean, stillValid: TokenRecord | null): Promise<string> {
    const { leaseUntil: _, ...rest } = lease;
    let fresh: TokenRecord;
    try {
      fresh = { ...rest, ...(await this.stableToken(force)) };
    } catch (e) {
      // Let the others try again at once; in the renewal window the current token still serves.
      await this.opts.values.writeIf(this.key, JSON.stringify(rest), won.version).catch(() => null);
      if (stillValid) return this.hold(stillValid);
      throw e;
    }
    // Lost only if this lease ran out and another instance took over: the token is valid all the same.
    await this.store('write', () => this.opts.values.writeIf(this.key, JSON.stringify(fresh), won.version));
    return this.hold(fresh);
  }

  private async stableToken(force: boolean): Promise<Required<Pick<TokenRecord, 'token' | 'expiresAt' | 'refreshAt'>>> {
    const answer = await postWechat(
      `${this.opts.apiBase.replace(/\/$/, '')}/cgi-bin/stable_token`,
      { grant_type: 'client_credential', appid: this.opts.appId, secret: this.opts.appSecret, force_refresh: force },
      this.timeoutMs,
    );
    const token = answer.access_token;
    const expiresIn = Number(answer.expires_in);
    if (answer.errcode || typeof token !== 'string' || !token || !(expiresIn > 0))
      throw new WechatCallError(
        `stable_token answered ${answer.errcode ? describeError(answer) : 'no access_token'}`,
        answer.errcode ?? null,
      );
    const now = this.now();
    // Handed the current token at the very start of its renewal window, ask again in 30 s rather than at once.
    const renewIn = Math.min(expiresIn, Math.max(expiresIn - RENEW_BEFORE_SECONDS, 30));
    return { token, expiresAt: now + expiresIn * 1000, refreshAt: now + renewIn * 1000 };
  }

  private hold(rec: TokenRecord): string {
    this.held = { token: rec.token!, refreshAt: rec.refreshAt ?? 0, expiresAt: rec.expiresAt ?? 0 };
    return rec.token!;
  }

  private async store<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw new StoreUnavailableError(`shared value ${operation}`, e);
    }
  }

  private now(): number {
    return this.opts.clock.now().getTime();
  }
}
