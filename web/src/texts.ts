/** What users read: API error codes and gift states in Simplified Chinese. */
import { ApiError, type GiverGift } from './api';

const ERRORS: Record<string, string> = {
  UNAUTHENTICATED: '请先选择用户登录',
  GIFT_NOT_FOUND: '礼物不存在，或链接已失效',
  SKU_NOT_FOUND: '该款式不存在',
  GIFT_INELIGIBLE: '该商品不支持送礼物',
  OUT_OF_STOCK: '该款式已售罄，请换一个',
  ALREADY_CLAIMED: '礼物已被其他人领取',
  CANNOT_CLAIM_OWN_GIFT: '不能领取自己送出的礼物',
  GIFT_EXPIRED: '礼物已超过 24 小时未收下，已过期，款项原路退回',
  GIFT_DECLINED: '礼物已被拒收',
  GIFT_CANCELED: '订单已取消',
  GIFT_ALREADY_PAID: '礼物已付款，不能再取消',
  GIFT_NOT_PAID: '请先完成支付',
  NOT_RECIPIENT: '只有领取礼物的人可以操作',
  ADDRESS_REQUIRED: '请先填写收货地址',
  VARIANT_NOT_SAME_PRICE: '只能换成同价的款式',
  VARIANT_NOT_SAME_PRODUCT: '只能换成同一商品的其他款式',
  ALREADY_ACCEPTED: '礼物已收下，不能再更改',
  VALIDATION_FAILED: '请检查填写的内容',
  IDEMPOTENCY_KEY_REUSED: '请求重复，请刷新后重试',
  CONCURRENT_UPDATE: '操作太频繁，请稍后再试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  PAYLOAD_TOO_LARGE: '内容太长了',
  NETWORK: '网络不可用，请检查网络后重试',
  // WeChat Pay's own answers to the payer (the local stand-in's sheet relays them).
  ORDER_CLOSED: '订单已关闭，无法支付',
  PREPAY_EXPIRED: '支付已过期，请重新支付',
  PAYER_MISMATCH: '请使用下单的微信账号支付',
  // Issue 12: the thank-you note, and the server's own trouble.
  THANKS_ALREADY_SENT: '你已经发送过感谢了',
  // Group gifts and lotteries (issue 13).
  ALL_CLAIMED: '礼物已被领完了',
  DRAW_CLOSED: '抽奖已截止，不能再参与',
  NOT_DRAWN: '还没有开奖',
  INVALID_GROUP_ORDER: '请检查份数和开奖时间',
  GIFT_NOT_ACCEPTED: '收下礼物后才能发送感谢',
  INTERNAL: '服务器暂时出了问题，请稍后重试',
  DEPENDENCY_UNAVAILABLE: '服务暂时不可用，请稍后重试',
};

/** The server failed or answered nothing readable: the same request may well work a moment later. */
const serverTrouble = (e: ApiError) => e.status >= 500 || e.code === 'BAD_RESPONSE';

export const errorText = (e: unknown): string => {
  if (!(e instanceof ApiError)) return '出错了，请稍后再试';
  if (ERRORS[e.code]) return ERRORS[e.code]!;
  if (serverTrouble(e)) return '服务器暂时出了问题，请稍后重试';
  return `出错了（${e.code}）`;
};

/** Worth a 重试 button: nothing was wrong with the request itself. */
export const isRetryable = (e: unknown): boolean =>
  e instanceof ApiError && (e.code === 'NETWORK' || serverTrouble(e) || e.code === 'RATE_LIMITED' || e.code === 'CONCURRENT_UPDATE');

const FIELD_NAMES: Record<string, string> = {
  name: '收货人',
  phone: '手机号',
  regionCode: '所在地区',
  detail: '详细地址',
  message: '留言',
};
/** Fields whose text may span lines (the others must stay on one line). */
const MULTILINE = new Set(['message']);

/**
 * One issue of a 422 in words, from the rule the API names (shared/schemas: "x is required", "x must be at most N
 * characters", "x must not contain control or bidi-override characters", the phone and region rules).
 */
function issueText(path: string, message: string, label: string): string {
  const max = /must be at most (\d+) characters/.exec(message);
  if (max) return `${label}最多 ${max[1]} 个字`;
  if (/is required/.test(message)) return `请填写${label}`;
  if (/control or bidi-override/.test(message))
    return MULTILINE.has(path) ? `${label}不能包含特殊控制字符` : `${label}不能换行，也不能包含制表符等特殊控制字符`;
  if (path === 'phone') return '请输入正确的大陆手机号（11 位）';
  if (path === 'regionCode') return /Hong Kong|Macau|Taiwan/.test(message) ? '暂不支持寄往港澳台地区' : '请选择省/市/区';
  return `${label}有误`;
}

/** Per-field messages for a 422 VALIDATION_FAILED, naming the real rule; `labels` renames fields for one form. */
export function fieldErrors(e: unknown, labels: Record<string, string> = {}): Record<string, string> {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return {};
  return Object.fromEntries(e.issues.map((i) => [i.path, issueText(i.path, i.message, labels[i.path] ?? FIELD_NAMES[i.path] ?? i.path)]));
}

/** The giver's list reads the gift's life in plain words (the recipient's address is never part of it). */
export function giverStatusText(g: Pick<GiverGift, 'status' | 'handoff' | 'refund' | 'shipment'>): string {
  if (g.shipment) return g.shipment.status === 'delivered' ? '已签收' : '已发货';
  const refunded = g.refund?.status === 'done' && g.refund.outcome !== 'payment_closed';
  switch (g.status) {
    case 'awaiting_payment':
      return '待付款';
    case 'sent':
      return '待领取';
    case 'claimed':
      return '已领取';
    case 'accepted':
      return g.handoff?.status === 'done' ? '商家已接单' : '已收下';
    case 'declined':
      return refunded ? '已拒收 · 已退款' : '已拒收 · 退款中';
    case 'expired':
      return refunded ? '已过期 · 已退款' : '已过期 · 退款中';
    case 'canceled':
      // Canceled before payment: nothing was charged, so nothing is refunded (not 已退款).
      if (g.refund?.outcome === 'payment_closed') return '已取消 · 未扣款';
      return refunded ? '已取消 · 已退款' : '已取消';
    default:
      return g.status;
  }
}

export const attrsText = (attrs: Record<string, string>) =>
  Object.entries(attrs)
    .map(([k, v]) => `${k}：${v}`)
    .join('  ');
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
/** Characters as users count them (an emoji is one). */
export const charCount = (s: string) => [...s].length;

/** The recipient's list and card read the gift's life from the recipient's side (never a price). */
export function receivedStatusText(g: { status: string; shipment?: { status: string } | null }): string {
  if (g.shipment) return g.shipment.status === 'delivered' ? '已签收' : '已发货';
  switch (g.status) {
    case 'sent':
    case 'claimed':
      return '待收下';
    case 'accepted':
      return '已收下 · 等待商家发货';
    case 'declined':
      return '已拒收';
    case 'expired':
      return '已过期';
    case 'canceled':
      return '已取消';
    default:
      return g.status;
  }
}

/** 顺丰速运 SF1234567890 · 11月24日 17:00 发货: what a courier's progress says, as far as it is known. */
export function shipmentText(s: {
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
}): string {
  const when = s.status === 'delivered' ? s.deliveredAt : s.shippedAt;
  const verb = s.status === 'delivered' ? '签收' : '发货';
  return [[s.carrier, s.trackingNumber].filter(Boolean).join(' '), when ? `${dateTimeText(when)} ${verb}` : verb]
    .filter(Boolean)
    .join(' · ');
}

/** 11月24日 17:00 in China time (UTC+8, no daylight saving), whatever the phone's zone. */
export function dateTimeText(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}
/** The first `max` characters of a text on one line, with … when cut. */
export function excerpt(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The display name's rule, checked before sending (the server checks the same, and its 422 is worded below). */
export function displayNameProblem(name: string, max: number): string | null {
  const n = charCount(name.trim());
  if (n === 0) return '请填写你的名字';
  if (n > max) return `名字最多 ${max} 个字，现在是 ${n} 个`;
  return null;
}
/** PUT /me's 422 in words: which rule the name breaks (the API's issue says it in English). */
export function displayNameErrorText(e: unknown, max: number): string | null {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return null;
  const issue = e.issues.find((i) => i.path === 'displayName') ?? e.issues[0];
  const m = issue?.message ?? '';
  if (/control|bidi/i.test(m)) return '名字不能包含控制字符或改变文字方向的字符';
  if (/required/i.test(m)) return '请填写你的名字';
  if (/at most/i.test(m)) return `名字最多 ${max} 个字`;
  return '名字有误，请换一个';
}

// ── 群发礼物 / 群礼物抽奖 (issue 13) ──

/** The three ways to send, as 确认礼物 offers them. */
export const MODE_NAMES: Record<'single' | 'group' | 'lottery', string> = {
  single: '送给一位朋友',
  group: '群发礼物',
  lottery: '群礼物抽奖',
};
export const MODE_HINTS: Record<'single' | 'group' | 'lottery', string> = {
  single: '一份礼物，一位朋友领取',
  group: '发到群里，每人限领一份，先到先得',
  lottery: '群友参与抽奖，到点公开开奖，可自行验证',
};

/** A unit's state as its giver reads it (who holds it and where it ships are never shown). */
export const UNIT_STATUS: Record<'free' | 'claimed' | 'accepted' | 'declined' | 'expired', string> = {
  free: '待领取',
  claimed: '已领取',
  accepted: '已收下',
  declined: '已拒收',
  expired: '已过期',
};

/** 1 小时 30 分 / 10 分钟 / 24 小时: a delay in seconds in words. */
export function delayText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  if (h === 0) return `${Math.max(1, m)} 分钟`;
  return m ? `${h} 小时 ${m} 分` : `${h} 小时`;
}

/**
 * INVALID_GROUP_ORDER's issues per field (quantity, drawAt) in words, from the rule the API names (domain/group-order.ts:
 * "quantity must be an integer from 2 to N", "drawAt must lie between A and B seconds ahead").
 */
export function groupFieldErrors(e: unknown): { quantity?: string; drawAt?: string } {
  if (!(e instanceof ApiError) || e.code !== 'INVALID_GROUP_ORDER') return {};
  const out: { quantity?: string; drawAt?: string } = {};
  for (const i of e.issues) {
    if (i.path === 'quantity') {
      const range = /from (\d+) to (\d+)/.exec(i.message);
      out.quantity = range ? `份数需在 ${range[1]} 到 ${range[2]} 之间` : '请检查份数';
    } else if (i.path === 'drawAt') {
      const range = /between (\d+) and (\d+) seconds/.exec(i.message);
      out.drawAt = range ? `开奖时间需在 ${delayText(Number(range[1]))} 到 ${delayText(Number(range[2]))} 之后` : '请选择开奖时间';
    }
  }
  return out;
}

/** 已领 2 / 3 份: a group order's progress on one line. */
export const unitsText = (taken: number, quantity: number) => `已领 ${taken} / ${quantity} 份`;
