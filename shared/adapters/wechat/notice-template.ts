/**
 * Which subscription-message template a notice uses and how the notice fills its keywords. A setting is
 * `<templateId>` (the event's default layout below) or `<templateId>:<key>=<field>,…`, e.g.
 * `Xy3…:thing1=product,time2=time,phrase3=status`. A keyword's type is its key without the trailing digits (`thing1`
 * is a thing); each type takes only fields it can show (facts §8), which is checked at start-up, with every problem
 * named, so a mapping WeChat would answer 47003 to never reaches it.
 */
import type { NotificationEvent } from '../../domain/gift';

/** The events that have a template; `gift_declined` / `gift_expired` are legacy and have none. */
export const TEMPLATED_EVENTS = ['gift_claimed', 'gift_accepted', 'gift_refunded', 'gift_expiring', 'gift_thanked'] as const;
export type TemplatedEvent = (typeof TEMPLATED_EVENTS)[number];

export const isTemplatedEvent = (e: NotificationEvent): e is TemplatedEvent => (TEMPLATED_EVENTS as readonly string[]).includes(e);

/**
 * What a keyword can show: the product's title, the event's time (for `gift_expiring` when the gift expires), the
 * refunded amount and why (refunds only), a short status (已领取…), a one-line note, the gift id, the recipient's
 * thank-you note (thanks only), the giver's display name (the reminder and the thanks).
 */
export const NOTICE_FIELDS = ['product', 'time', 'amount', 'reason', 'status', 'note', 'gift', 'thanks', 'giver'] as const;
export type NoticeField = (typeof NOTICE_FIELDS)[number];

/** Keyword types of subscription messages (facts §8); time and date take the same Beijing-time text. */
export const KEYWORD_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
] as const;
export type KeywordType = (typeof KEYWORD_TYPES)[number];

/** The keyword types each field can be shown in. */
export const FIELD_TYPES: Record<NoticeField, readonly KeywordType[]> = {
  product: ['thing'],
  time: ['time', 'date', 'thing'],
  amount: ['amount', 'number', 'thing'],
  reason: ['phrase', 'thing'],
  status: ['phrase', 'thing'],
  note: ['thing'],
  gift: ['character_string'],
  thanks: ['thing'],
  giver: ['thing', 'name'],
};

/**
 * Fields only some events have: the amount and its reason belong to the giver's refund notice alone, the note of
 * thanks to the thanks notice; the giver's name goes to the recipient's reminder and to the thanks notice.
 */
const FIELD_EVENTS: Partial<Record<NoticeField, readonly TemplatedEvent[]>> = {
  amount: ['gift_refunded'],
  reason: ['gift_refunded'],
  thanks: ['gift_thanked'],
  giver: ['gift_expiring', 'gift_thanked'],
};

/** The layout used when a setting is only a template id: pick templates whose keywords are these. */
export const DEFAULT_LAYOUTS: Record<TemplatedEvent, string> = {
  gift_claimed: 'thing1=product,phrase2=status,time3=time',
  gift_accepted: 'thing1=product,phrase2=status,time3=time',
  gift_refunded: 'thing1=product,amount2=amount,thing3=reason,time4=time',
  gift_expiring: 'thing1=product,time2=time,thing3=note',
  gift_thanked: 'thing1=product,thing2=thanks,time3=time',
};

/** The setting that holds each event's template. */
export const TEMPLATE_SETTINGS: Record<TemplatedEvent, string> = {
  gift_claimed: 'WECHAT_TEMPLATE_GIFT_CLAIMED',
  gift_accepted: 'WECHAT_TEMPLATE_GIFT_ACCEPTED',
  gift_refunded: 'WECHAT_TEMPLATE_GIFT_REFUNDED',
  gift_expiring: 'WECHAT_TEMPLATE_GIFT_EXPIRING',
  gift_thanked: 'WECHAT_TEMPLATE_GIFT_THANKED',
};

export interface Keyword {
  key: string;
  type: KeywordType;
  field: NoticeField;
}

export interface NoticeTemplate {
  templateId: string;
  keywords: readonly Keyword[];
}

const TEMPLATE_ID = /^[A-Za-z0-9_-]{6,64}$/;
const KEY = /^([a-z_]+?)(\d+)$/;

export type ParsedTemplate = { ok: true; template: NoticeTemplate } | { ok: false; problems: string[] };

/** Reads a template setting for `event`; every problem is listed. */
export function parseNoticeTemplate(event: TemplatedEvent, setting: string): ParsedTemplate {
  const colon = setting.indexOf(':');
  const templateId = (colon < 0 ? setting : setting.slice(0, colon)).trim();
  const layout = colon < 0 ? DEFAULT_LAYOUTS[event] : setting.slice(colon + 1);
  const problems: string[] = [];
  if (!TEMPLATE_ID.test(templateId)) problems.push(`"${templateId}" is not a template id (6-64 letters, digits, _ or -)`);
  const keywords: Keyword[] = [];
  for (const pair of layout.split(',').map((p) => p.trim())) {
    const [key = '', field = '', ...rest] = pair.split('=').map((s) => s.trim());
    const type = KEY.exec(key)?.[1] as KeywordType | undefined;
    if (rest.length > 0 || !key || !field) problems.push(`"${pair}" is not key=field`);
    else if (!type || !KEYWORD_TYPES.includes(type)) problems.push(`${key}: not a keyword (${KEYWORD_TYPES.join(', ')} + a number)`);
    else if (!NOTICE_FIELDS.includes(field as NoticeField)) problems.push(`${key}=${field}: the fields are ${NOTICE_FIELDS.join(', ')}`);
    else if (keywords.some((k) => k.key === key)) problems.push(`${key} is mapped twice`);
    else {
      const f = field as NoticeField;
      const events = FIELD_EVENTS[f];
      if (!FIELD_TYPES[f].includes(type))
        problems.push(`${key}=${f}: a ${type} keyword cannot show ${f} (it can: ${FIELD_TYPES[f].join(', ')})`);
      else if (events && !events.includes(event)) problems.push(`${key}=${f}: ${event} notices carry no ${f}`);
      else keywords.push({ key, type, field: f });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, template: { templateId, keywords } };
}
