import { cloudbaseTimerMain } from '../../shared/platform/cloudbase/cloudbase-timer';
import { dispatchNotificationsJob } from './handler';

/** Tencent CloudBase entry (timer trigger). */
export const main = cloudbaseTimerMain(dispatchNotificationsJob);
