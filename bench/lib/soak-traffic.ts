/**
 * The soak's mixed traffic over HTTP, one client at a time: full lifecycles (create → pay → view → claim →
 * address → swap → accept, then the giver's reads), declines, claim links with a wrong secret and plain reads.
 * Shared by bench/soak.ts and bench/lib/memory-store-bytes.ts, so the memory store's per-gift size is measured on
 * the very documents the soak creates.
 */
import type { Agent } from 'node:http';
import { httpJson, type JsonResponse } from './songli-client';

export const SOAK_ADDRESS = { name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路 88 号院 3 号楼' };

/** What one client did; summed over clients by the caller. */
export interface TrafficCounts {
  requests: number;
  /** Gifts created (every one ends accepted or declined, so each is one lifecycle in the store). */
  gifts: number;
  accepted: number;
  declined: number;
  wrongTokens: number;
  reads: number;
  /** Unexpected answers, `<step> <status>` → count. */
  unexpected: Record<string, number>;
}

export const emptyCounts = (): TrafficCounts => ({
  requests: 0,
  gifts: 0,
  accepted: 0,
  declined: 0,
  wrongTokens: 0,
  reads: 0,
  unexpected: {},
});

export function addCounts(into: TrafficCounts, from: TrafficCounts): TrafficCounts {
  for (const k of ['requests', 'gifts', 'accepted', 'declined', 'wrongTokens', 'reads'] as const) into[k] += from[k];
  for (const [k, v] of Object.entries(from.unexpected)) into.unexpected[k] = (into.unexpected[k] ?? 0) + v;
  return into;
}

/** Deterministic PRNG (mulberry32), so a soak's mix is the same every run. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Unexpected extends Error {}

/**
 * One client. Givers come from a pool of `giverPool` users per client (their tokens are kept here); every
 * recipient and every guesser is a new user who logs in first, so caches keyed by caller see an endless stream
 * of new keys, as a public service does.
 */
export class SoakClient {
  readonly counts = emptyCounts();
  private readonly tokens = new Map<string, string>();
  private readonly recent: Array<{ giftId: string; claimToken: string; giver: string }> = [];
  private n = 0;

  constructor(
    private readonly url: string,
    private readonly agent: Agent,
    private readonly id: number,
    private readonly random: () => number,
    private readonly giverPool = 100,
  ) {}

  /** One step of the mix. */
  async step(): Promise<void> {
    const r = this.random();
    try {
      if (r < 0.7) await this.lifecycle(true);
      else if (r < 0.8) await this.lifecycle(false);
      else if (r < 0.9) await this.wrongTokens();
      else await this.reads();
    } catch (e) {
      if (!(e instanceof Unexpected)) throw e;
    }
  }

  /** A full lifecycle that ends accepted (with a style swap) or declined. */
  async lifecycle(accept: boolean): Promise<void> {
    const k = this.n++;
    const giver = await this.token(`soak${this.id}_giver${k % this.giverPool}`);
    const friend = await this.login(`soak${this.id}_friend${k}`);
    const created = await this.call('create', 201, 'POST', '/gifts', giver, { skuId: 'sku_scarf_blue', message: '生日快乐' });
    this.counts.gifts++;
    const giftId: string = created.body.gift.id;
    const paid = await this.call('pay', 200, 'POST', `/gifts/${giftId}/pay`, giver);
    const claimToken: string = paid.body.gift.claimToken;
    const link = `/claims/${claimToken}`;
    await this.call('view claim', 200, 'GET', link, friend);
    await this.call('claim', 200, 'POST', `${link}/claim`, friend);
    if (accept) {
      await this.call('address', 200, 'PUT', `${link}/address`, friend, SOAK_ADDRESS);
      await this.call('swap', 200, 'PUT', `${link}/variant`, friend, { skuId: 'sku_scarf_grey' });
      await this.call('view claim', 200, 'GET', link, friend);
      await this.call('accept', 200, 'POST', `${link}/accept`, friend);
      this.counts.accepted++;
    } else {
      await this.call('decline', 200, 'POST', `${link}/decline`, friend);
      this.counts.declined++;
    }
    await this.call('get gift', 200, 'GET', `/gifts/${giftId}`, giver);
    await this.call('list sent', 200, 'GET', '/gifts?role=sent&limit=20', giver);
    await this.call('list received', 200, 'GET', '/gifts?role=received', friend);
    this.recent.push({ giftId, claimToken, giver: `soak${this.id}_giver${k % this.giverPool}` });
    if (this.recent.length > 50) this.recent.shift();
  }

  /** A new caller tries three links with a real gift id and a wrong secret, and one malformed token: 404 each. */
  async wrongTokens(): Promise<void> {
    const guesser = await this.login(`soak${this.id}_guesser${this.n++}`);
    const known = this.recent[Math.floor(this.random() * this.recent.length)];
    const id = known?.giftId ?? 'g_doesnotexist';
    for (let i = 0; i < 3; i++) {
      const secret = Math.floor(this.random() * 2 ** 52)
        .toString(36)
        .padEnd(32, 'x')
        .slice(0, 32);
      await this.call('wrong token', 404, 'GET', `/claims/${id}.${secret}`, guesser);
    }
    await this.call('malformed token', 404, 'POST', '/claims/not-a-token/claim', guesser);
    this.counts.wrongTokens += 4;
  }

  /** Reads of earlier gifts: the giver's view and list, the recipient's card, the catalog. */
  async reads(): Promise<void> {
    const known = this.recent[Math.floor(this.random() * this.recent.length)];
    if (known) {
      const giver = await this.token(known.giver);
      await this.call('get gift', 200, 'GET', `/gifts/${known.giftId}`, giver);
      await this.call('list sent', 200, 'GET', '/gifts?role=sent', giver);
      await this.call('view claim (giver)', 200, 'GET', `/claims/${known.claimToken}`, giver);
    }
    await this.call('products', 200, 'GET', '/products', await this.token(`soak${this.id}_giver0`));
    this.counts.reads++;
  }

  private async token(userId: string): Promise<string> {
    let t = this.tokens.get(userId);
    if (!t) {
      t = await this.login(userId);
      this.tokens.set(userId, t);
    }
    return t;
  }

  private async login(userId: string): Promise<string> {
    return (await this.call('login', 200, 'POST', '/dev/login', undefined, { userId })).body.token;
  }

  private async call(step: string, expected: number, method: string, path: string, token?: string, body?: unknown): Promise<JsonResponse> {
    this.counts.requests++;
    const res = await httpJson(this.url, method, path, { token, body, agent: this.agent });
    if (res.status !== expected) {
      const key = `${step} ${res.status}${res.body?.error?.code ? ` ${res.body.error.code}` : ''}`;
      this.counts.unexpected[key] = (this.counts.unexpected[key] ?? 0) + 1;
      throw new Unexpected(key);
    }
    return res;
  }
}
