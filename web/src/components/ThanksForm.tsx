import { THANKS_MAX_CHARS } from '../../../shared/schemas/text-limits';
import { charCount, fieldErrors } from '../texts';
import type { Failure } from '../use-actions';
import { ActionButton } from './ActionButton';
import { ErrorBanner } from './ErrorBanner';

/**
 * After 收下: one short thank-you to the giver (≤ 50 characters, sent once). No `maxlength`: it counts UTF-16 units,
 * so an emoji would stop the text early; the counter counts characters as the server does and holds 发送 instead.
 */
export function ThanksForm({
  value,
  onChange,
  sending,
  disabled,
  failure,
  onSend,
}: {
  value: string;
  onChange: (text: string) => void;
  sending: boolean;
  disabled: boolean;
  failure: Failure | null;
  onSend: () => void;
}) {
  const count = charCount(value.trim());
  const tooLong = count > THANKS_MAX_CHARS;
  const fieldError = fieldErrors(failure?.error, { message: '感谢' }).message;
  return (
    <form
      class="thanks"
      aria-label="感谢送礼人"
      onSubmit={(e) => {
        e.preventDefault();
        if (count > 0 && !tooLong) onSend();
      }}
    >
      <label for="thanks-message">给送礼人说声谢谢</label>
      <textarea
        id="thanks-message"
        rows={2}
        value={value}
        placeholder="谢谢你的礼物！"
        aria-describedby="thanks-count"
        aria-invalid={tooLong || fieldError ? true : undefined}
        onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)}
      />
      <span id="thanks-count" class={tooLong ? 'error counter' : 'muted counter'}>
        {count}/{THANKS_MAX_CHARS}
        {tooLong ? `，最多 ${THANKS_MAX_CHARS} 个字` : ''}
      </span>
      {fieldError ? <p class="error">{fieldError}</p> : <ErrorBanner error={failure?.error} onRetry={onSend} />}
      <p class="muted">感谢只能发送一次，送礼人会在礼物卡上看到。</p>
      <div class="actions">
        <ActionButton type="submit" busy={sending} busyLabel="发送中…" disabled={disabled || count === 0 || tooLong}>
          发送感谢
        </ActionButton>
      </div>
    </form>
  );
}
