import { DISPLAY_NAME_MAX_CHARS } from '../../../shared/schemas/text-limits';
import { charCount } from '../texts';

/**
 * 你的名字: what the friend reads as the sender. Counted as the server counts (an emoji is one character), so no
 * `maxlength`, which counts UTF-16 units and would cut a name of 20 emoji short; the counter turns red past 20.
 */
export function DisplayNameField({
  value,
  error,
  label = '你的名字',
  hint = '朋友收到礼物时会看到这个名字',
  onInput,
}: {
  value: string;
  error: string | null;
  label?: string;
  hint?: string;
  onInput: (v: string) => void;
}) {
  const n = charCount(value.trim());
  const over = n > DISPLAY_NAME_MAX_CHARS;
  return (
    <div class="display-name-field">
      <label for="display-name">{label}</label>
      <input
        id="display-name"
        value={value}
        autocomplete="nickname"
        enterKeyHint="done"
        aria-invalid={error || over ? true : undefined}
        aria-describedby="display-name-count display-name-hint"
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
      <p class="field-foot">
        <span id="display-name-hint" class={error ? 'error' : 'muted'} role={error ? 'alert' : undefined}>
          {error ?? hint}
        </span>
        <span id="display-name-count" class={over ? 'error' : 'muted'} data-testid="display-name-count">
          {n}/{DISPLAY_NAME_MAX_CHARS}
        </span>
      </p>
    </div>
  );
}
