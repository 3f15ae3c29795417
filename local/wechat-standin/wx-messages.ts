import * as z from 'zod';
import type { Clock } from '../../shared/ports/clock';
import { type Answer, ok, wxError } from './standin-answer';
import type { WxLogin } from './wx-login';

export const SubscribeSendRequest = z.object({
  touser: z.string().min(1),
  template_id: z.string().min(1),
  page: z.string().max(1024).optional(),
  data: z.record(z.string(), z.object({ value: z.string() })),
  miniprogram_state: z.enum(['developer', 'trial', 'formal']).optional(),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
});
export type SubscribeSendRequest = z.output<typeof SubscribeSendRequest>;

const chars = (s: string) => [...s].length;
const HAN = /^\p{Script=Han}+$/u;

/**
 * The value rules of subscribe-message keywords, by the keyword's type (its key without the trailing digits:
 * `thing1` is a thing). Facts §8 for thing, number, letter, character_string, symbol, phrase, name and amount; the
 * others are only kept non-empty and short. Returns why a value breaks its rule, or null.
 */
export function keywordProblem(key: string, value: string): string | null {
  const type = key.replace(/\d+$/, '');
  const n = chars(value);
  if (n === 0) return 'is empty';
  switch (type) {
    case 'thing':
      return n <= 20 ? null : `thing is at most 20 characters, got ${n}`;
    case 'number':
      return n <= 32 && /^\d+(\.\d+)?$/.test(value) ? null : 'number is at most 32 digits (a decimal point allowed)';
    case 'letter':
      return n <= 32 && /^[A-Za-z]+$/.test(value) ? null : 'letter is at most 32 letters';
    case 'character_string':
      return n <= 32 && /^[\x21-\x7e]+$/.test(value) ? null : 'character_string is at most 32 digits, letters or symbols';
    case 'symbol':
      return n <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(value) ? null : 'symbol is at most 5 symbols';
    case 'phrase':
      return n <= 5 && HAN.test(value) ? null : 'phrase is at most 5 Chinese characters';
    case 'name':
      return (n <= 10 && HAN.test(value)) || (n <= 20 && /^[^\p{Script=Han}\d]+$/u.test(value))
        ? null
        : 'name is at most 10 Chinese characters or 20 letters';
    case 'amount':
      return /^(?:[¥￥$€£]\d{1,10}(?:\.\d{1,2})?元?|\d{1,10}(?:\.\d{1,2})?元)$/.test(value)
        ? null
        : 'amount is a currency symbol and at most 10 digits';
    case 'phone_number':
      return n <= 17 && /^[\d+\-() ]+$/.test(value) ? null : 'phone_number is at most 17 digits or symbols';
    case 'car_number':
      return n <= 8 ? null : 'car_number is at most 8 characters';
    default:
      return n <= 32 ? null : `${type} is at most 32 characters`;
  }
}

export interface SentMessage extends SubscribeSendRequest {
  at: string;
}

/**
 * subscribe/send: the token, the template, each keyword's value rule (47003 naming the keyword), then the user's
 * subscription (43101). Subscriptions are open by default, refused for users marked so; in one-time mode each
 * acceptance allows one message (facts §8), as wx.requestSubscribeMessage grants them.
 */
export class WxMessages {
  readonly sent: SentMessage[] = [];
  private readonly refused = new Set<string>();
  private readonly credits = new Map<string, number>();

  constructor(
    private readonly deps: {
      clock: Clock;
      login: WxLogin;
      templates: Readonly<Record<string, readonly string[]>> | null;
      subscriptions: 'open' | 'one-time';
    },
  ) {}

  /** The user refused (or never accepted) this template, or every template when none is named. */
  refuse(openid: string, templateId?: string): void {
    this.refused.add(templateId ? `${openid}|${templateId}` : openid);
  }

  /** The user accepted a template `times` more times (one-time mode); clears a refusal. */
  accept(openid: string, templateId: string, times = 1): void {
    this.refused.delete(openid);
    this.refused.delete(`${openid}|${templateId}`);
    this.credits.set(`${openid}|${templateId}`, (this.credits.get(`${openid}|${templateId}`) ?? 0) + times);
  }

  send(accessToken: string | undefined, body: unknown): Answer {
    const token = this.deps.login.checkToken(accessToken);
    if (token === 40001) return wxError(40001, 'invalid credential, access_token is invalid or not latest');
    if (token === 42001) return wxError(42001, 'access_token expired');
    const parsed = SubscribeSendRequest.safeParse(body);
    if (!parsed.success) return wxError(47001, 'data format error');
    const msg = parsed.data;
    const template = this.deps.templates?.[msg.template_id];
    if (this.deps.templates && !template) return wxError(40037, 'invalid template id');
    for (const key of template ?? []) if (!msg.data[key]) return wxError(47003, `argument invalid! data.${key}.value is empty`);
    for (const [key, { value }] of Object.entries(msg.data)) {
      if (template && !template.includes(key)) return wxError(47003, `argument invalid! data.${key} is not in the template`);
      const problem = keywordProblem(key, value);
      if (problem) return wxError(47003, `argument invalid! data.${key}.value ${problem}`);
    }
    const subscription = `${msg.touser}|${msg.template_id}`;
    const credit = this.credits.get(subscription) ?? 0;
    if (this.refused.has(msg.touser) || this.refused.has(subscription) || (this.deps.subscriptions === 'one-time' && credit <= 0))
      return wxError(43101, 'user refuse to accept the msg');
    if (this.deps.subscriptions === 'one-time') this.credits.set(subscription, credit - 1);
    this.sent.push({ ...msg, at: this.deps.clock.now().toISOString() });
    return ok({ errcode: 0, errmsg: 'ok' });
  }
}
