import { cloudbaseHttpMain } from '../../shared/platform/cloudbase/cloudbase-http';
import { getGiftRoute } from './handler';

/** Tencent CloudBase entry (HTTP access service or wx.cloud.callFunction). */
export const main = cloudbaseHttpMain(getGiftRoute);
