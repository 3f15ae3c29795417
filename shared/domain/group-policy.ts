/**
 * The numbers of 群发礼物 / 群礼物抽奖 (docs/group-gifts.md), injected like GiftPolicy so tests and deploys can set
 * them. The acceptance window, the payment window and the reminder are GiftPolicy's: a unit of a group order is
 * accepted or refunded on the same clock as a 1:1 gift.
 */
export interface GroupPolicy {
  /** GROUP_MAX_QUANTITY: most units one order may hold (at least 2; unit numbers are padded to 3 digits). */
  maxQuantity: number;
  /** LOTTERY_MIN_DELAY_SECONDS / LOTTERY_MAX_DELAY_SECONDS: how far ahead of its creation a draw may be set. */
  lotteryMinDelaySeconds: number;
  lotteryMaxDelaySeconds: number;
  /**
   * The draw waits this long after drawAt before reading the entries. An entry is refused once the clock reads drawAt;
   * one whose request read the clock just before may still be on its way, and no request outlives its function's
   * timeout (30 s): so this must exceed that timeout plus the clock skew between instances.
   */
  lotteryDrawGraceSeconds: number;
  /**
   * Declined units are refunded in batches at most this often (a decline asks for a batch; a batch taken at t lets
   * the next one start at t + this). Keeps one order under WeChat Pay's 50 partial refunds.
   */
  refundBatchIntervalSeconds: number;
  /** WeChat Pay refunds one payment at most 50 times. One batch is always kept for the final one. */
  maxRefundsPerOrder: number;
}

/** WeChat Pay: 「每笔支付订单的部分退款次数不能超过 50 次」. */
export const WECHATPAY_MAX_PARTIAL_REFUNDS = 50;

/** Unit numbers are written with 3 digits in keys and ids, so no deployment may allow more. */
export const GROUP_QUANTITY_CEILING = 999;

export const DEFAULT_GROUP_POLICY: GroupPolicy = {
  maxQuantity: 100,
  lotteryMinDelaySeconds: 600,
  lotteryMaxDelaySeconds: 86_400,
  lotteryDrawGraceSeconds: 60,
  refundBatchIntervalSeconds: 3_600,
  maxRefundsPerOrder: WECHATPAY_MAX_PARTIAL_REFUNDS,
};

/** Problems of a policy read from settings (the config reader reports them; a bad value never reaches a request). */
export function groupPolicyProblems(p: GroupPolicy): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(p.maxQuantity) || p.maxQuantity < 2 || p.maxQuantity > GROUP_QUANTITY_CEILING)
    problems.push(`GROUP_MAX_QUANTITY must be an integer from 2 to ${GROUP_QUANTITY_CEILING}`);
  if (!(p.lotteryMinDelaySeconds >= 0 && p.lotteryMinDelaySeconds <= p.lotteryMaxDelaySeconds))
    problems.push('LOTTERY_MIN_DELAY_SECONDS must be ≥ 0 and ≤ LOTTERY_MAX_DELAY_SECONDS');
  if (!(p.lotteryDrawGraceSeconds >= 0)) problems.push('the draw grace must be ≥ 0 seconds');
  if (!(p.refundBatchIntervalSeconds >= 0)) problems.push('the refund batch interval must be ≥ 0 seconds');
  if (!Number.isInteger(p.maxRefundsPerOrder) || p.maxRefundsPerOrder < 2 || p.maxRefundsPerOrder > WECHATPAY_MAX_PARTIAL_REFUNDS)
    problems.push(`refunds per order must be an integer from 2 to ${WECHATPAY_MAX_PARTIAL_REFUNDS}`);
  return problems;
}
