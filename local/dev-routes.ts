import * as contract from '../shared/http/contract';
import type { DevServices } from '../shared/http/dev-services';
import { EdgeError } from '../shared/http/edge-errors';
import { route } from '../shared/http/route';

function devOnly(dev: DevServices | null): DevServices {
  if (!dev) throw new EdgeError('DEV_ROUTES_DISABLED', 'dev routes exist only in local mode');
  return dev;
}

/** Local mode only: never part of a deployed function. */
export const DEV_ROUTES = [
  route(contract.devLogin, async ({ dev, body }) => ({ body: { token: await devOnly(dev).issueToken(body.userId) } })),
  route(contract.devWechat, async ({ dev }) => ({ body: { standinUrl: devOnly(dev).wechatStandinUrl } })),
  route(contract.devFulfillments, async ({ dev }) => ({ body: { fulfillments: devOnly(dev).fulfillmentSink?.list() ?? [] } })),
  route(contract.devRefunds, async ({ dev }) => ({ body: { refunds: devOnly(dev).payments?.listRefunds() ?? [] } })),
  route(contract.devNotifications, async ({ dev }) => ({ body: { notifications: devOnly(dev).notifier.list() } })),
  route(contract.devSweep, async ({ dev }) => ({ body: (await devOnly(dev).runMaintenance()) as { sweep: unknown; dispatched: unknown } })),
];
