import { api, type ResponseOf } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { yuan } from '../texts';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

export function ProductList() {
  const { data, error, reload } = useLoad(() => api<ResponseOf<'listProducts'>>('GET', '/products'), []);
  useTitle('精选好物');
  return (
    <main>
      <h1>精选好物</h1>
      <ErrorBanner error={error} onRetry={reload} prefix="商品加载失败" />
      {!data && !error ? <p aria-busy="true">加载中…</p> : null}
      <ul class="cards">
        {data?.products.map((p) => (
          <li key={p.id}>
            <a class="card product-link" href={`#/p/${p.id}`}>
              <strong>{p.title}</strong>
              <span class="price">{yuan(Math.min(...p.skus.map((s) => s.priceFen)))} 起</span>
              {p.giftable ? <span class="badge">支持送礼物</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
