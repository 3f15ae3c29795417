import { useState } from 'preact/hooks';
import { DISPLAY_NAME_MAX_CHARS } from '../../../shared/schemas/text-limits';
import { ActionButton } from '../components/ActionButton';
import { DisplayNameField } from '../components/DisplayNameField';
import { ErrorBanner } from '../components/ErrorBanner';
import { LoadFailed } from '../components/LoadFailed';
import { getMe, putMe } from '../profile';
import { displayNameErrorText, displayNameProblem } from '../texts';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

/** 我的名字: the name friends read as the sender of a gift; gifts already sent keep the name they were sent with. */
export function ProfilePage() {
  const me = useLoad(getMe, []);
  useTitle('我的名字');
  // What was typed survives a failed save (and a slow first load: typing starts from the saved name once it arrives).
  const [typed, setTyped] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  if (me.error) return <LoadFailed title="我的名字" error={me.error} onRetry={me.reload} />;
  if (!me.data)
    return (
      <main aria-busy="true">
        <h1>我的名字</h1>
        <p>加载中…</p>
      </main>
    );
  const value = typed ?? me.data.profile.displayName ?? '';

  const submit = async () => {
    setSaved(false);
    setError(null);
    const problem = displayNameProblem(value, DISPLAY_NAME_MAX_CHARS);
    if (problem) return setFieldError(problem);
    setBusy(true);
    try {
      me.setData(await putMe(value.trim()));
      setTyped(null);
      setSaved(true);
    } catch (e) {
      const worded = displayNameErrorText(e, DISPLAY_NAME_MAX_CHARS);
      setFieldError(worded);
      if (!worded) setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <h1>我的名字</h1>
      <form
        aria-label="我的名字"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <DisplayNameField
          value={value}
          error={fieldError}
          hint="朋友收到礼物时会看到这个名字；已送出的礼物保持送出时的名字"
          onInput={(v) => {
            setTyped(v);
            setFieldError(null);
            setSaved(false);
          }}
        />
        <ErrorBanner error={error} />
        {saved ? (
          <p class="toast" role="status">
            已保存
          </p>
        ) : null}
        <div class="actions">
          <ActionButton type="submit" class="primary" busy={busy} busyLabel="保存中…">
            {error ? '重试保存' : '保存'}
          </ActionButton>
        </div>
      </form>
      <p>
        <a href="#/sent">我送出的礼物</a>
      </p>
    </main>
  );
}
