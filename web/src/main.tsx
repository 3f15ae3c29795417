import { render } from 'preact';
import { UserSwitcher } from './components/UserSwitcher';
import { ClaimPage } from './pages/ClaimPage';
import { ConfirmGift } from './pages/ConfirmGift';
import { GiftCard } from './pages/GiftCard';
import { ProductList } from './pages/ProductList';
import { ProductPage } from './pages/ProductPage';
import { ProfilePage } from './pages/ProfilePage';
import { SentList } from './pages/SentList';
import { match, useHashPath } from './router';
import { useSession } from './session';
import './styles.css';

function Page({ path }: { path: string }) {
  const claim = match('/claim/:token', path);
  if (claim) return <ClaimPage token={claim.token!} />;
  const confirm = match('/p/:id/gift', path);
  if (confirm) return <ConfirmGift productId={confirm.id!} />;
  const product = match('/p/:id', path);
  if (product) return <ProductPage productId={product.id!} />;
  const sent = match('/sent/:id', path);
  if (sent) return <GiftCard giftId={sent.id!} />;
  if (path === '/sent') return <SentList />;
  if (path === '/me') return <ProfilePage />;
  return <ProductList />;
}

function App() {
  const path = useHashPath();
  const session = useSession();
  return (
    <>
      <header>
        <a class="brand" href="#/">
          送礼物
        </a>
        <nav>
          <a href="#/sent">我送出的</a>
        </nav>
        <UserSwitcher />
      </header>
      {session ? <Page key={`${session.userId}:${path}`} path={path} /> : <main class="notice">请先在右上角选择一个用户</main>}
    </>
  );
}

render(<App />, document.getElementById('app')!);
