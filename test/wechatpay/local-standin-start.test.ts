/**
 * `PAYMENT_PROVIDER=wechatpay npm start` without merchant keys: the local server starts the WeChat stand-in and keeps
 * every other setting of the environment (port, data directory, an http notify URL judged against the stand-in).
 */
import { afterEach, expect, it } from 'vitest';
import { startLocalServer } from '../../local/start-local-server';
import { tempDataDir } from '../support/http-harness';

const saved = { ...process.env };
const tmp = tempDataDir();
afterEach(() => {
  process.env = { ...saved };
  tmp.remove();
});

it('starts the stand-in from the process environment and keeps the rest of it', async () => {
  Object.assign(process.env, {
    PAYMENT_PROVIDER: 'wechatpay',
    PORT: '0',
    DATA_DIR: tmp.dir,
    LOCAL_STORE: 'leveldb',
    LOG_LEVEL: 'silent',
    WECHATPAY_NOTIFY_URL: 'http://127.0.0.1:9/wechatpay/notify',
  });
  const server = await startLocalServer({ timers: false, webRoot: null });
  try {
    expect(server.wechat).not.toBeNull();
    expect(server.config).toMatchObject({
      DATA_DIR: tmp.dir,
      LOCAL_STORE: 'leveldb',
      WECHATPAY_API_BASE: server.wechat!.url,
      WECHATPAY_MCHID: server.wechat!.merchantSettings.mchid,
      WECHATPAY_NOTIFY_URL: 'http://127.0.0.1:9/wechatpay/notify',
    });
    const res = await fetch(`${server.url}/dev/wechat`);
    expect(await res.json()).toEqual({ standinUrl: server.wechat!.url });
  } finally {
    await server.close();
  }
});

it('names a malformed setting even when a stand-in was started for it', async () => {
  Object.assign(process.env, { PAYMENT_PROVIDER: 'wechatpay', PORT: 'not-a-port', DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' });
  await expect(startLocalServer({ timers: false, webRoot: null })).rejects.toThrow(/PORT/);
});
