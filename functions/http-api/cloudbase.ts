import { API_ROUTES } from '../../local/functions';
import { cloudbaseHttpMain } from '../../shared/platform/cloudbase/cloudbase-http';

/**
 * CloudBase only: the HTTP access service routes by path prefix alone (no method, no path parameters), so
 * `GET /gifts/:id` and `POST /gifts/:id/pay` cannot reach different functions over HTTP. This function
 * serves the whole contract at one prefix with the very same route handlers; mini programs still call the
 * per-step functions directly with wx.cloud.callFunction.
 */
export const main = cloudbaseHttpMain(...API_ROUTES);
