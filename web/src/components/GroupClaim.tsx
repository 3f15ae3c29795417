import { ApiError, type ClaimCard } from '../api';
import { pageHref } from '../claim-link';
import { dateTimeText, unitsText } from '../texts';
import type { Failure } from '../use-actions';
import { ActionButton } from './ActionButton';
import { Countdown, useTimeUp } from './Countdown';
import { DrawVerification } from './DrawVerification';
import { ErrorBanner } from './ErrorBanner';

type Lottery = NonNullable<ClaimCard['lottery']>;

/** Units nobody holds yet. */
export const unitsLeft = (g: ClaimCard) => Math.max(0, g.quantity - g.unitsTaken);

/** 群发礼物 before taking a unit: how many are left, and 领取一份. */
export function GroupTake({
  gift: g,
  busy,
  disabled,
  failure,
  onTake,
}: {
  gift: ClaimCard;
  busy: boolean;
  disabled: boolean;
  failure: Failure | null;
  onTake: () => void;
}) {
  return (
    <section class="group-take" aria-labelledby="units-left">
      <p class="units-left" id="units-left" aria-live="polite">
        还剩 <strong data-testid="units-left">{unitsLeft(g)}</strong> 份（共 {g.quantity} 份）
      </p>
      <p class="muted">每人限领一份，先到先得。</p>
      <ErrorBanner error={failure?.error} onRetry={failure ? onTake : undefined} />
      <div class="actions">
        <ActionButton class="primary" busy={busy} busyLabel="领取中…" disabled={disabled} onClick={onTake}>
          领取一份
        </ActionButton>
      </div>
    </section>
  );
}

/** 你领到了第 2 份: the recipient's own unit of a group order (or the unit their win gave them). */
export function OwnUnitLine({ gift: g }: { gift: ClaimCard }) {
  if (!g.unit) return null;
  const won = g.mode === 'lottery';
  return (
    <p class={won ? 'notice won' : 'own-unit'} role="status" data-testid="own-unit">
      {won ? '恭喜中奖！' : ''}你领到了第 {g.unit.unitNo + 1} 份（共 {g.quantity} 份），请填写收货地址后收下。
    </p>
  );
}

function Entered({ lottery: l }: { lottery: Lottery }) {
  if (!l.entered || !l.entrantHash) return null;
  return (
    <div class="entered" data-testid="entered">
      <p>
        <strong>已参与</strong> · 你在名单中的编号（加盐哈希）：
      </p>
      <code class="hash" data-testid="entrant-hash">
        {l.entrantHash}
      </code>
    </div>
  );
}

/**
 * 群礼物抽奖 for anyone but a winner holding their unit: the countdown to the draw, 参与抽奖, 已参与 with their entrant
 * hash; once drawn, 未中奖 (or the draw's end for someone who did not enter) and how to verify it.
 */
export function LotteryPanel({
  gift: g,
  token,
  busy,
  disabled,
  failure,
  onEnter,
}: {
  gift: ClaimCard & { lottery: Lottery };
  token: string;
  busy: boolean;
  disabled: boolean;
  failure: Failure | null;
  onEnter: () => void;
}) {
  const l = g.lottery;
  const closedByClock = useTimeUp(l.drawn ? null : l.drawAt);
  if (l.drawn)
    return (
      <>
        <section class="notice" aria-live="polite" data-testid="lottery-result">
          <h2>{l.entered ? (l.won ? '恭喜中奖' : '未中奖') : '抽奖已结束'}</h2>
          <p>
            {dateTimeText(l.drawnAt ?? l.drawAt)} 开奖：{l.entrants} 人参与，{l.winners ?? 0} 人中奖。
            {l.entered && !l.won ? '这次没有抽中，谢谢参与。' : ''}
          </p>
          <Entered lottery={l} />
        </section>
        <DrawVerification token={token} lottery={l} />
      </>
    );
  // The server's clock has the last word: a 409 DRAW_CLOSED closes the entry even if this phone's clock runs late.
  const closedByServer = failure?.error instanceof ApiError && failure.error.code === 'DRAW_CLOSED';
  const open = !closedByClock && !closedByServer && g.status === 'sent';
  return (
    <section class="lottery" aria-labelledby="lottery-title">
      <h2 id="lottery-title">抽 {g.quantity} 位幸运群友，各得一份</h2>
      <p>
        开奖时间 <time dateTime={l.drawAt}>{dateTimeText(l.drawAt)}</time> {open ? <Countdown until={l.drawAt} label="距开奖" /> : null}
      </p>
      {/* The server's count is shared for a few seconds: one who has entered counts at least themselves. */}
      <p data-testid="lottery-entrants">已有 {Math.max(l.entrants, l.entered ? 1 : 0)} 人参与</p>
      <Entered lottery={l} />
      {open ? null : (
        <p class="notice" role="status">
          报名已截止，正在开奖，请稍候。
        </p>
      )}
      <ErrorBanner error={failure?.error} onRetry={failure && open ? onEnter : undefined} />
      {l.entered || !open ? null : (
        <div class="actions">
          <ActionButton class="primary" busy={busy} busyLabel="参与中…" disabled={disabled} onClick={onEnter}>
            参与抽奖
          </ActionButton>
        </div>
      )}
      <p class="muted">
        承诺值（SHA-256）：<code class="hash">{l.commitment}</code>
      </p>
      <p class="muted">开奖后公开种子和名单，任何人都能验证结果。</p>
    </section>
  );
}

/** The giver opening the link of their own group order: its progress, and the way to its card. */
export function GroupOwnNotice({ gift: g }: { gift: ClaimCard }) {
  const l = g.lottery;
  const text = l
    ? l.drawn
      ? `已开奖：${l.entrants} 人参与，${l.winners ?? 0} 人中奖。`
      : `开奖时间 ${dateTimeText(l.drawAt)}，已有 ${l.entrants} 人参与。`
    : `${unitsText(g.unitsTaken, g.quantity)}，还剩 ${unitsLeft(g)} 份。`;
  return (
    <section class="notice" aria-live="polite" aria-labelledby="own-gift-title">
      <h2 id="own-gift-title">{l ? '这是你发起的群礼物抽奖' : '这是你送出的群礼物'}</h2>
      <p data-testid="own-progress">{text}</p>
      <p>把链接发到群里，朋友们用同一个链接{l ? '参与抽奖' : '各领一份'}。</p>
      <p>
        <a class="button-link" href={pageHref(`/sent/${encodeURIComponent(g.id)}`)}>
          查看礼物卡
        </a>
      </p>
    </section>
  );
}
