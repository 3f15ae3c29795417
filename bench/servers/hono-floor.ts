/**
 * The framework's floor: Hono on @hono/node-server (what the songli server runs on) answering `GET /claims/:token`
 * with the bare server's fixed JSON body, no auth, no store. The gap between this and bare node:http is the
 * framework's; the gap between this and songli is the app's. Run as a child of bench/http.ts.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const body = { ok: true, gift: { id: 'g_bench', status: 'claimed', message: '生日快乐' } };
const app = new Hono();
app.get('/claims/:token', (c) => c.json(body));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
