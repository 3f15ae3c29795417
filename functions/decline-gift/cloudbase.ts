import { cloudbaseHttpMain } from '../../shared/platform/cloudbase/cloudbase-http';
import { declineGiftRoute } from './handler';

/** Tencent CloudBase entry (HTTP access service or wx.cloud.callFunction). */
export const main = cloudbaseHttpMain(declineGiftRoute);
