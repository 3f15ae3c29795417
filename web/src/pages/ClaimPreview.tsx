import { ApiError, api, type ResponseOf } from '../api';
import { ClaimLinkGone } from '../components/ClaimLinkGone';
import { LoadFailed } from '../components/LoadFailed';
import { Notice } from '../components/Notice';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

/** Opens the user switcher (the local sign-in) for the friend: focus it, and open its list where the browser can. */
function askToSignIn() {
  const switcher = document.getElementById('user-switcher') as HTMLSelectElement | null;
  if (!switcher) return;
  switcher.focus();
  switcher.scrollIntoView({ block: 'nearest' });
  try {
    switcher.showPicker();
  } catch {
    // Not without a user gesture or not supported: the focus ring shows where to tap.
  }
}

/**
 * A friend who is not signed in: the public preview of the card (who sent what; no message, price or recipient) from
 * GET /claims/:token/preview, and a clear ask to sign in to claim it.
 */
export function ClaimPreview({ token }: { token: string }) {
  const { data, error, reload } = useLoad(
    () => api<ResponseOf<'previewClaim'>>('GET', `/claims/${encodeURIComponent(token)}/preview`),
    [token],
  );
  const p = data?.preview ?? null;
  useTitle(error ? '礼物卡加载失败' : p && !p.open ? '礼物已失效' : '收到一份礼物 · 登录领取');
  if (error) {
    if (error instanceof ApiError && error.status === 404) return <ClaimLinkGone />;
    return <LoadFailed title="收到一份礼物" error={error} onRetry={reload} />;
  }
  if (!p)
    return (
      <main aria-busy="true">
        <span class="spinner" aria-hidden="true" />
        加载中…
      </main>
    );
  return (
    <main>
      <h1>收到一份礼物</h1>
      <section class="card gift-card" aria-label="礼物">
        <p class="muted">{`${p.giverName ?? '你的朋友'}送你一份礼物`}</p>
        <strong>{p.product.title}</strong>
      </section>
      {p.open ? (
        <section class="notice sign-in" aria-labelledby="sign-in-title">
          <h2 id="sign-in-title">登录后领取</h2>
          <p>登录后即可领取礼物、填写收货地址，礼物会寄到你填写的地址。</p>
          <p class="muted">请在页面右上角的「当前用户」里选择你的身份。</p>
          <div class="actions">
            <button type="button" class="primary" onClick={askToSignIn}>
              登录领取
            </button>
          </div>
        </section>
      ) : (
        <Notice title="礼物已失效">这份礼物已被领取、已过期或已取消。</Notice>
      )}
    </main>
  );
}
