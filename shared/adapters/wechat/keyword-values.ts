/**
 * The text each keyword shows, cut to its type's limit (facts §8: thing ≤ 20 characters; number, letter and
 * character_string ≤ 32 of their charsets; symbol ≤ 5; phrase ≤ 5 汉字; name ≤ 10 汉字 or 20 letters; amount = a
 * currency symbol + ≤ 10 digits; time and date in Beijing time). Lengths are counted in UTF-16 units, which is never
 * less than WeChat's count, and cuts fall between grapheme clusters, so an emoji is kept whole or left out.
 */
import type { NotificationEvent, RefundReason } from '../../domain/gift';
import type { Notice } from '../../ports/notifier';
import type { KeywordType, NoticeField, NoticeTemplate } from './notice-template';

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * One line: control characters and line breaks become spaces (WeChat refuses them), invisible marks (zero-width
 * space, direction marks, BOM) go; the zero-width joiner stays, it holds emoji sequences together.
 */
const oneLine = (s: string) =>
  s
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** At most `max` UTF-16 units, cut between graphemes, ending in `…` when something was cut. */
export function cut(text: string, max: number, ellipsis = true): string {
  if (text.length <= max) return text;
  const room = ellipsis ? max - 1 : max;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > room) break;
    out += segment;
  }
  return ellipsis ? `${out.trimEnd()}…` : out;
}

const keep = (s: string, allowed: RegExp) => [...s].filter((c) => allowed.test(c)).join('');
/** The first `n` characters by code point: a Han character outside the BMP (𠀀) is one character, never half of one. */
const firstChars = (s: string, n: number) => [...s].slice(0, n).join('');

/** Fits any text to a keyword type's charset and length. */
export function fitKeyword(type: KeywordType, raw: string): string {
  const text = oneLine(raw);
  switch (type) {
    case 'thing':
      return cut(text, 20);
    case 'number':
      return (/\d+(?:\.\d+)?/.exec(text)?.[0] ?? '').slice(0, 32);
    case 'letter':
      return keep(text, /[A-Za-z]/).slice(0, 32);
    case 'character_string':
      return keep(text, /[\x21-\x7e]/).slice(0, 32);
    case 'symbol':
      return cut(keep(text, /[^\p{L}\p{N}\s]/u), 5, false);
    case 'phrase':
      return firstChars(keep(text, /\p{Script=Han}/u), 5);
    case 'name':
      // A Chinese name is Chinese characters only; any other is letters and symbols, no digits.
      return /\p{Script=Han}/u.test(text) ? firstChars(keep(text, /\p{Script=Han}/u), 10) : cut(keep(text, /\D/u).trim(), 20, false);
    case 'phone_number':
      return keep(text, /[\d+\-() ]/).slice(0, 17);
    case 'car_number':
      return cut(text, 8, false);
    default:
      return text; // time, date, amount: rendered in their format below
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026年11月24日 16:00`, Beijing time (UTC+8, no daylight saving): what time and date keywords take. */
export function beijingDateTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Yuan with two decimals: `199.00`. */
export const yuan = (fen: number) => `${Math.floor(fen / 100)}.${pad(fen % 100)}`;

/** Short status texts (phrase: ≤ 5 汉字). */
export const STATUS_TEXT: Record<NotificationEvent, string> = {
  gift_claimed: '已领取',
  gift_accepted: '已接受',
  gift_refunded: '已退款',
  gift_expiring: '即将过期',
  gift_thanked: '已答谢',
  gift_declined: '已拒收',
  gift_expired: '已过期',
};

/** Why money went back (phrase: ≤ 5 汉字). */
export const REASON_TEXT: Record<RefundReason, string> = {
  declined: '对方拒收',
  expired: '超时未领取',
  canceled: '已取消',
};

/** One line for a thing keyword (≤ 20 characters). */
export const NOTE_TEXT: Record<NotificationEvent, string> = {
  gift_claimed: '好友已领取你送的礼物',
  gift_accepted: '好友已确认收礼，礼物即将发出',
  gift_refunded: '礼物款项已原路退回',
  gift_expiring: '礼物即将过期，请尽快确认收礼',
  gift_thanked: '好友收到礼物，给你留了言',
  gift_declined: '好友婉拒了你的礼物',
  gift_expired: '礼物已过期',
};

/** A notice lacks what its template shows (a refund notice without its amount): sending cannot help. */
export class MissingNoticeField extends Error {
  constructor(readonly field: NoticeField) {
    super(`the notice has no ${field}`);
    this.name = 'MissingNoticeField';
  }
}

/** Recipients' notices (the reminder) never show the price, whatever they carry (the thanks notice carries none). */
const RECIPIENT_EVENTS: readonly NotificationEvent[] = ['gift_expiring'];

function fieldText(field: NoticeField, type: KeywordType, notice: Notice): string {
  switch (field) {
    case 'product':
      return oneLine(notice.productTitle) || '礼物';
    case 'time':
      return beijingDateTime(notice.at);
    case 'amount': {
      if (notice.amountFen === undefined || RECIPIENT_EVENTS.includes(notice.event)) throw new MissingNoticeField('amount');
      return type === 'number' ? yuan(notice.amountFen) : `¥${yuan(notice.amountFen)}`;
    }
    case 'reason':
      if (!notice.reason) throw new MissingNoticeField('reason');
      return REASON_TEXT[notice.reason];
    case 'status':
      return STATUS_TEXT[notice.event];
    case 'note':
      return NOTE_TEXT[notice.event];
    case 'gift':
      return notice.giftId;
    case 'thanks':
      if (notice.thanks === undefined) throw new MissingNoticeField('thanks');
      // Never blank (the API refuses a blank note); should nothing visible remain on one line, say thanks anyway.
      return oneLine(notice.thanks) || '谢谢你的礼物';
    case 'giver':
      // A giver who set no name is "a friend", as the pages say.
      return oneLine(notice.giverName ?? '') || '好友';
  }
}

/** The `data` of subscribe/send: every keyword of the template, each within its type's limits. */
export function keywordData(template: NoticeTemplate, notice: Notice): Record<string, { value: string }> {
  return Object.fromEntries(template.keywords.map((k) => [k.key, { value: fitKeyword(k.type, fieldText(k.field, k.type, notice)) }]));
}
