import { cloudbaseHttpMain } from '../../shared/platform/cloudbase/cloudbase-http';
import { fulfillmentEventRoute } from './handler';

/** Tencent CloudBase entry (HTTP access service, no CloudBase auth: authenticated by the merchant's signature). */
export const main = cloudbaseHttpMain(fulfillmentEventRoute);
