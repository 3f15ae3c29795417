import { api, type ResponseOf } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { NotFound } from '../components/NotFound';
import { enterConfirmVisit } from '../confirm-session';
import { go } from '../router';
import { attrsText, yuan } from '../texts';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

export function ProductPage({ productId }: { productId: string }) {
  const { data, error, reload } = useLoad(() => api<ResponseOf<'listProducts'>>('GET', '/products'), []);
  const product = data?.products.find((p) => p.id === productId);
  const notFound = data !== null && !product;
  useTitle(notFound ? '找不到该商品' : (product?.title ?? '商品'));
  if (notFound)
    return (
      <NotFound title="找不到该商品" backHref="#/" backLabel="去看看其他好物">
        <p>这件商品不存在或已下架。</p>
      </NotFound>
    );
  if (!product)
    return error ? (
      <main>
        <h1>商品</h1>
        <ErrorBanner error={error} onRetry={reload} prefix="商品加载失败" />
      </main>
    ) : (
      <main aria-busy="true">加载中…</main>
    );
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
        <button
          type="button"
          class="primary"
          disabled={!product.giftable}
          onClick={() => {
            enterConfirmVisit(product.id);
            go(`/p/${product.id}/gift`);
          }}
        >
          送给朋友
        </button>
      </div>
    </main>
  );
}
