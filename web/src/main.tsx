import { render } from 'preact';
import { UserSwitcher } from './components/UserSwitcher';
import { ClaimPage } from './pages/ClaimPage';
import { ConfirmGift } from './pages/ConfirmGift';
import { GiftCard } from './pages/GiftCard';
import { ProductList } from './pages/ProductList';
import { ProductPage } from './pages/ProductPage';
import { SentList } from './pages/SentList';
import { match, useHashPath } from './router';
import { useSession } from './session';
import './styles.css';

function Page({ path }: { path: string }) {
  let p: Record<string, string> | null;
  if ((p = match('/claim/:token', path))) return <ClaimPage token={p.token!} />;
  if ((p = match('/p/:id/gift', path))) return <ConfirmGift productId={p.id!} />;
  if ((p = match('/p/:id', path))) return <ProductPage productId={p.id!} />;
  if ((p = match('/sent/:id', path))) return <GiftCard giftId={p.id!} />;
  if (path === '/sent') return <SentList />;
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
