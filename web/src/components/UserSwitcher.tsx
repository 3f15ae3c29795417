import { useState } from 'preact/hooks';
import { DEMO_USERS, displayName, loginAs, useSession } from '../session';

/** Local mode only: be 小明 (giver) on one tab and 小红 (friend) on another, or anyone else. */
export function UserSwitcher() {
  const session = useSession();
  const [failed, setFailed] = useState(false);
  const choose = (userId: string) =>
    loginAs(userId).then(
      () => setFailed(false),
      () => setFailed(true),
    );
  return (
    <div class="switcher">
      <label for="user-switcher">当前用户</label>
      <select id="user-switcher" value={session?.userId ?? ''} onChange={(e) => void choose((e.target as HTMLSelectElement).value)}>
        <option value="" disabled>
          选择用户
        </option>
        {DEMO_USERS.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
        {session && !DEMO_USERS.some((u) => u.id === session.userId) ? (
          <option value={session.userId}>{displayName(session.userId)}</option>
        ) : null}
      </select>
      {failed ? (
        <span class="error" role="alert">
          登录失败
        </span>
      ) : null}
    </div>
  );
}
