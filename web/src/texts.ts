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
  DEPENDENCY_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  INTERNAL: '服务出了点问题，请稍后重试',
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
  NETWORK: '网络不可用，请稍后再试',
  // WeChat Pay's own answers to the payer (the local stand-in's sheet relays them).
  ORDER_CLOSED: '订单已关闭，无法支付',
  PREPAY_EXPIRED: '支付已过期，请重新支付',
  PAYER_MISMATCH: '请使用下单的微信账号支付',
};

export const errorText = (e: unknown): string => {
  if (e instanceof ApiError) return ERRORS[e.code] ?? `出错了（${e.code}）`;
  return '出错了，请稍后再试';
};

const FIELD_NAMES: Record<string, string> = {
  name: '收货人',
  phone: '手机号',
  regionCode: '所在地区',
  detail: '详细地址',
  message: '留言',
};
const FIELD_HINTS: Record<string, string> = {
  phone: '请输入正确的大陆手机号',
  regionCode: '请选择省/市/区',
  name: '请填写收货人',
  detail: '请填写详细地址',
  message: '留言最多 100 个字',
};
/** Per-field messages for a 422 VALIDATION_FAILED. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return {};
  return Object.fromEntries(e.issues.map((i) => [i.path, FIELD_HINTS[i.path] ?? `${FIELD_NAMES[i.path] ?? i.path}有误`]));
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

/** 11月24日 16:05 in the phone's time zone; the year only when it is not this year's. */
export function dateTimeText(iso: string): string {
  const d = new Date(iso);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const year = d.getFullYear() === new Date().getFullYear() ? '' : `${d.getFullYear()}年`;
  return `${year}${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
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
