import { cloudbaseHttpMain } from '../../shared/platform/cloudbase/cloudbase-http';
import { createGiftRoute } from './handler';

/** Tencent CloudBase entry (HTTP access service or wx.cloud.callFunction). */
export const main = cloudbaseHttpMain(createGiftRoute);
