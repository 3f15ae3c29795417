import { cloudbaseTimerMain } from '../../shared/platform/cloudbase/cloudbase-timer';
import { sweepGiftsJob } from './handler';

/** Tencent CloudBase entry (timer trigger). */
export const main = cloudbaseTimerMain(sweepGiftsJob);
