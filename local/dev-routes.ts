import { AppError } from '../shared/domain/errors';
import type { DevServices } from '../shared/http/dev-services';
import { operations } from '../shared/http/operations';
import { route } from '../shared/http/route';

function devOnly(dev: DevServices | null): DevServices {
  if (!dev) throw new AppError('DEV_ROUTES_DISABLED', 'dev routes exist only in local mode');
  return dev;
}

export const devLoginRoute = route(operations.devLogin, async ({ dev, body }) => ({ body: { token: await devOnly(dev).issueToken(body.userId) } }));

export const devFulfillmentsRoute = route(operations.devFulfillments, async ({ dev }) => ({ body: { fulfillments: devOnly(dev).fulfillmentSink?.list() ?? [] } }));

export const devRefundsRoute = route(operations.devRefunds, async ({ dev }) => ({ body: { refunds: devOnly(dev).payments.listRefunds() } }));

export const devNotificationsRoute = route(operations.devNotifications, async ({ dev }) => ({ body: { notifications: devOnly(dev).notifier.list() } }));

export const devSweepRoute = route(operations.devSweep, async ({ dev }) => ({ body: await devOnly(dev).runMaintenance() }));

/** Local mode only. */
export const DEV_ROUTES = [devLoginRoute, devFulfillmentsRoute, devRefundsRoute, devNotificationsRoute, devSweepRoute];
