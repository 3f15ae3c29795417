import { render } from 'preact';
import { pageHref, redirectOldClaimLink } from './claim-link';
import { UserSwitcher } from './components/UserSwitcher';
import { ClaimPage } from './pages/ClaimPage';
import { ClaimPreview } from './pages/ClaimPreview';
import { ConfirmGift } from './pages/ConfirmGift';
import { GiftCard } from './pages/GiftCard';
import { ProductList } from './pages/ProductList';
import { ProductPage } from './pages/ProductPage';
import { ProfilePage } from './pages/ProfilePage';
import { ReceivedList } from './pages/ReceivedList';
import { SentList } from './pages/SentList';
import './offline-shell';
import { match, useRoute } from './router';
import { useSession } from './session';
import { useTitle } from './use-title';
import './styles.css';

function Page({ path, userId }: { path: string; userId: string }) {
  const claim = match('/claim/:token', path);
  if (claim) return <ClaimPage token={claim.token!} userId={userId} />;
  const confirm = match('/p/:id/gift', path);
  if (confirm) return <ConfirmGift productId={confirm.id!} />;
  const product = match('/p/:id', path);
  if (product) return <ProductPage productId={product.id!} />;
  const sent = match('/sent/:id', path);
  if (sent) return <GiftCard giftId={sent.id!} />;
  if (path === '/sent') return <SentList />;
  if (path === '/received') return <ReceivedList />;
  if (path === '/me') return <ProfilePage />;
  return <ProductList />;
}

/** Not signed in: a claim link still shows its card (the public preview); every other page asks for a user. */
function SignedOut({ path }: { path: string }) {
  const claim = match('/claim/:token', path);
  useTitle(claim ? null : '请选择用户');
  if (claim) return <ClaimPreview token={claim.token!} />;
  return <main class="notice">请先在右上角选择一个用户</main>;
}

function App() {
  const path = useRoute();
  const session = useSession();
  return (
    <>
      <header>
        <a class="brand" href={pageHref('/')}>
          送礼物
        </a>
        <nav aria-label="我的礼物">
          <a href={pageHref('/sent')}>我送出的</a>
          <a href={pageHref('/received')}>我收到的</a>
        </nav>
        <UserSwitcher />
      </header>
      {session ? <Page key={`${session.userId}:${path}`} path={path} userId={session.userId} /> : <SignedOut key={path} path={path} />}
    </>
  );
}

// An old `#/claim/<token>` link moves to its `/g/<token>` address before anything loads.
if (!redirectOldClaimLink()) render(<App />, document.getElementById('app')!);
