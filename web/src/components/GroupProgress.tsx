import type { GiverGift } from '../api';
import { dateTimeText, MODE_NAMES, UNIT_STATUS, unitsText, yuan } from '../texts';
import { Countdown } from './Countdown';

type Group = NonNullable<GiverGift['group']>;

/** A group order's status on the giver's list and card, in the order's own words (the 1:1 words do not fit N units). */
export function orderStatusText(g: GiverGift & { group: Group }): string {
  const { group, quantity } = g;
  if (g.status === 'awaiting_payment') return '待付款';
  if (g.status === 'canceled') return '已取消';
  if (group.status === 'settled') return group.unitsAccepted > 0 ? `已结束 · ${group.unitsAccepted} 份已收下` : '已结束 · 已退款';
  if (g.status === 'expired') return '已截止';
  if (g.mode === 'lottery' && group.lottery && !group.lottery.drawn) return '待开奖';
  if (g.mode === 'lottery') return '已开奖';
  return group.unitsTaken >= quantity ? '已领完' : '领取中';
}

/** Units and money in one line: 已领 2 / 3 份 · 已收下 1 份 · 已退款 1 份 ¥29.90. */
export function groupSummary(g: GiverGift & { group: Group }): string {
  const { group } = g;
  const parts = [unitsText(group.unitsTaken, g.quantity), `已收下 ${group.unitsAccepted} 份`];
  if (group.unitsRefunded > 0) parts.push(`退款 ${group.unitsRefunded} 份 · 已退 ${yuan(group.refundedFen)}`);
  return parts.join(' · ');
}

/** The draw as its giver sees it: when, the commitment published now, how many entered, and once drawn, the result. */
function LotteryFacts({ lottery: l, quantity }: { lottery: NonNullable<Group['lottery']>; quantity: number }) {
  return (
    <dl class="lottery-facts">
      <dt>开奖时间</dt>
      <dd>
        <time dateTime={l.drawAt}>{dateTimeText(l.drawAt)}</time>
        {l.drawn ? null : (
          <>
            {' '}
            <Countdown until={l.drawAt} label="距开奖" />
          </>
        )}
      </dd>
      <dt>参与人数</dt>
      <dd data-testid="lottery-entrants">{l.drawn ? `${l.entrants} 人` : l.entrants > 0 ? `${l.entrants} 人` : '开奖时公布'}</dd>
      <dt>开奖结果</dt>
      <dd data-testid="lottery-result">{l.drawn ? `已开奖：${l.winners ?? 0} 人中奖（共 ${quantity} 份）` : '尚未开奖'}</dd>
      <dt>承诺值（SHA-256）</dt>
      <dd>
        <code class="hash">{l.commitment}</code>
      </dd>
      {l.seed ? (
        <>
          <dt>随机种子</dt>
          <dd>
            <code class="hash">{l.seed}</code>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * A group order for its giver: how many units were taken, accepted and refunded, each unit's state (never who holds it
 * or where it ships), the refund batches, and a lottery's draw. `units` is null in lists: the card shows them.
 */
export function GroupProgress({ gift: g }: { gift: GiverGift & { group: Group } }) {
  const { group } = g;
  const pending = group.refunds.filter((b) => b.status !== 'done' && b.status !== 'canceled');
  const pendingFen = pending.reduce((sum, b) => sum + b.amountFen, 0);
  const refundDone = new Set(group.refunds.filter((b) => b.status === 'done').flatMap((b) => b.unitNos));
  return (
    <div class="group-progress" data-testid="group-progress">
      <p class="group-line">
        <span class="badge">{MODE_NAMES[g.mode]}</span> <span data-testid="group-summary">{groupSummary(g)}</span>
      </p>
      {pendingFen > 0 ? <p class="warn">退款中 {yuan(pendingFen)}</p> : null}
      {group.units ? (
        <ol class="units" aria-label="每一份的状态">
          {group.units.map((u) => (
            <li key={u.unitNo} data-unit={u.unitNo} data-status={u.status}>
              <span>第 {u.unitNo + 1} 份</span>
              <span class={`unit-status unit-${u.status}`}>{UNIT_STATUS[u.status]}</span>
              {u.status === 'claimed' ? <span class="muted">{u.addressProvided ? '已填地址' : '未填地址'}</span> : null}
              {u.refunded ? <span class="muted">{refundDone.has(u.unitNo) ? '已退款' : '退款中'}</span> : null}
              {u.handoff?.status === 'done' ? <span class="muted">商家已接单</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {group.lottery ? <LotteryFacts lottery={group.lottery} quantity={g.quantity} /> : null}
    </div>
  );
}
