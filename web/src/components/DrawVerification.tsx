import { useState } from 'preact/hooks';
import { api, type ClaimCard, type ResponseOf } from '../api';
import { ErrorBanner } from './ErrorBanner';

type Lottery = NonNullable<ClaimCard['lottery']>;
type Draw = ResponseOf<'viewDraw'>;

export const VERIFY_COMMAND = 'npx tsx scripts/verify-draw.ts draw.json';

/**
 * 如何验证: the rule the draw follows (docs/group-gifts.md, "The fair draw"), the published draw as JSON (shown, and
 * downloadable as draw.json) and the command that checks it. The JSON needs the caller's sign-in, so it is fetched
 * here rather than linked.
 */
export function DrawVerification({ token, lottery: l }: { token: string; lottery: Lottery }) {
  const [draw, setDraw] = useState<Draw | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setDraw(await api<Draw>('GET', `/claims/${encodeURIComponent(token)}/draw`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const json = draw ? JSON.stringify(draw.draw, null, 2) : null;
  const command = l.entrantHash ? `${VERIFY_COMMAND} --entrant ${l.entrantHash}` : VERIFY_COMMAND;
  return (
    <section class="card verify" aria-labelledby="verify-title">
      <h2 id="verify-title">如何验证</h2>
      <p>开奖结果由公开的规则算出，任何人都能重新计算：</p>
      <ol class="verify-rule">
        <li>
          创建抽奖时公布承诺值 <code>commitment = SHA-256(种子)</code>，种子在有人参与之前就已确定；
        </li>
        <li>开奖后公布种子，可核对它的 SHA-256 正是承诺值；</li>
        <li>
          每位参与者以加盐哈希出现在名单中，排名值 <code>rank = SHA-256(种子 ‖ 参与者哈希)</code>；
        </li>
        <li>排名值最小的 {l.winners ?? '前 N'} 位中奖，第 k 份归排名第 k 的人。</li>
      </ol>
      <dl class="lottery-facts">
        <dt>承诺值</dt>
        <dd>
          <code class="hash" data-testid="draw-commitment">
            {l.commitment}
          </code>
        </dd>
        {l.seed ? (
          <>
            <dt>种子</dt>
            <dd>
              <code class="hash" data-testid="draw-seed">
                {l.seed}
              </code>
            </dd>
          </>
        ) : null}
      </dl>
      <p>下载开奖数据保存为 draw.json，再运行：</p>
      <pre class="command" data-testid="verify-command">
        {command}
      </pre>
      {json ? (
        <>
          <pre class="draw-json" data-testid="draw-json">
            {json}
          </pre>
          <a class="button-link" download="draw.json" href={`data:application/json;charset=utf-8,${encodeURIComponent(json)}`}>
            下载 draw.json
          </a>
        </>
      ) : (
        <button type="button" onClick={() => void load()} disabled={busy} aria-busy={busy || undefined}>
          {busy ? '读取中…' : '查看开奖数据（JSON）'}
        </button>
      )}
      <ErrorBanner error={error} onRetry={load} />
    </section>
  );
}
