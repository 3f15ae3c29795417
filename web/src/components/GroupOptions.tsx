import { DEFAULT_GROUP_POLICY } from '../../../shared/domain/group-policy';
import type { ConfirmVisit } from '../confirm-session';
import { delayText, MODE_HINTS, MODE_NAMES, yuan } from '../texts';

export type GiftMode = NonNullable<ConfirmVisit['mode']>;
const MODES: GiftMode[] = ['single', 'group', 'lottery'];

/**
 * The page cannot read the server's settings; it offers the defaults (docs/group-gifts.md, "Rules and settings") and
 * the server's 422 names the real bounds on the field when a deployment set others.
 */
export const GROUP_MAX = DEFAULT_GROUP_POLICY.maxQuantity;
const MIN_DELAY_S = DEFAULT_GROUP_POLICY.lotteryMinDelaySeconds;
const MAX_DELAY_S = DEFAULT_GROUP_POLICY.lotteryMaxDelaySeconds;

const two = (n: number) => String(n).padStart(2, '0');
/** A time as a datetime-local input shows it: the phone's own zone, to the minute. */
export function localInputOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
/** The default draw: about an hour ahead, on a 5-minute mark. */
export const defaultDrawAtLocal = (now = Date.now()) => localInputOf(Math.ceil((now + 3600_000) / 300_000) * 300_000);
/** The picker's value as an ISO time, or null when it is empty or unreadable (read as the phone's local time). */
export function drawAtIso(local: string | undefined): string | null {
  if (!local) return null;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** 送给一位朋友 / 群发礼物 / 群礼物抽奖, then for a group how many units (and the total), for a lottery when it draws. */
export function GroupOptions({
  visit,
  save,
  locked,
  priceFen,
  maxQuantity,
  errors,
}: {
  visit: ConfirmVisit;
  save: (patch: Partial<ConfirmVisit>) => void;
  locked: boolean;
  priceFen: number | null;
  /** GROUP_MAX, or fewer when the chosen style has less stock. */
  maxQuantity: number;
  errors: { quantity?: string; drawAt?: string };
}) {
  const mode = visit.mode ?? 'single';
  const quantity = visit.quantity ?? 2;
  const setQuantity = (n: number) => save({ quantity: Math.max(2, Math.min(maxQuantity, Math.round(n) || 2)) });
  const choose = (m: GiftMode) =>
    save(m === 'lottery' && !visit.drawAtLocal ? { mode: m, drawAtLocal: defaultDrawAtLocal() } : { mode: m });
  const now = Date.now();
  return (
    <>
      <fieldset disabled={locked} class="modes">
        <legend>送礼方式</legend>
        {MODES.map((m) => (
          <label key={m} class="option mode-option">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => choose(m)} />
            <span>
              <strong>{MODE_NAMES[m]}</strong>
              <span class="muted mode-hint">{MODE_HINTS[m]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {mode === 'single' ? null : (
        <fieldset disabled={locked} class="group-options">
          <legend>{mode === 'group' ? '群发份数' : '奖品份数'}</legend>
          <div class="stepper">
            <button type="button" aria-label="减少一份" disabled={quantity <= 2} onClick={() => setQuantity(quantity - 1)}>
              −
            </button>
            <input
              id="group-quantity"
              type="number"
              inputMode="numeric"
              min={2}
              max={maxQuantity}
              value={quantity}
              aria-label="份数"
              aria-invalid={errors.quantity ? true : undefined}
              aria-describedby="group-quantity-hint"
              onChange={(e) => setQuantity(Number((e.target as HTMLInputElement).value))}
            />
            <button type="button" aria-label="增加一份" disabled={quantity >= maxQuantity} onClick={() => setQuantity(quantity + 1)}>
              +
            </button>
          </div>
          <p id="group-quantity-hint" class={errors.quantity ? 'error' : 'muted'}>
            {errors.quantity ?? `2 到 ${maxQuantity} 份`}
          </p>
          <p class="group-total" data-testid="group-total">
            共 {quantity} 份{priceFen === null ? '' : ` × ${yuan(priceFen)} = ${yuan(quantity * priceFen)}`}
          </p>
          <p class="muted">{mode === 'group' ? '每位朋友限领一份；' : '中奖的朋友各得一份；'}24 小时内没人收下的份数原路退款。</p>
          {mode === 'lottery' ? (
            <>
              <label for="draw-at">开奖时间</label>
              <input
                id="draw-at"
                type="datetime-local"
                value={visit.drawAtLocal ?? ''}
                min={localInputOf(now + MIN_DELAY_S * 1000)}
                max={localInputOf(now + MAX_DELAY_S * 1000)}
                aria-invalid={errors.drawAt ? true : undefined}
                aria-describedby="draw-at-hint"
                onChange={(e) => save({ drawAtLocal: (e.target as HTMLInputElement).value })}
              />
              <p id="draw-at-hint" class={errors.drawAt ? 'error' : 'muted'}>
                {errors.drawAt ?? `${delayText(MIN_DELAY_S)}到 ${delayText(MAX_DELAY_S)}之内；开奖前可参与，到点公开抽取`}
              </p>
            </>
          ) : null}
        </fieldset>
      )}
    </>
  );
}
