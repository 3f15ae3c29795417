import { api, type ResponseOf } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { go } from '../router';
import { attrsText, yuan } from '../texts';
import { useLoad } from '../use-load';

export function ProductPage({ productId }: { productId: string }) {
  const { data, error } = useLoad(() => api<ResponseOf<'listProducts'>>('GET', '/products'), []);
  const product = data?.products.find((p) => p.id === productId);
  if (error) return <ErrorBanner error={error} />;
  if (!product) return <main aria-busy="true">加载中…</main>;
  return (
    <main>
      <h1>{product.title}</h1>
      {product.giftable ? <span class="badge">支持送礼物</span> : <p class="muted">该商品不支持送礼物</p>}
      <ul class="skus">
        {product.skus.map((s) => (
          <li key={s.id}>
            {attrsText(s.attrs)} <span class="price">{yuan(s.priceFen)}</span> {s.stock <= 0 ? <span class="muted">已售罄</span> : null}
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="primary" disabled={!product.giftable} onClick={() => go(`/p/${product.id}/gift`)}>
          送给朋友
        </button>
      </div>
    </main>
  );
}
