import { cloudbaseTimerMain } from '../../shared/platform/cloudbase/cloudbase-timer';
import { dispatchHandoffsJob } from './handler';

/** Tencent CloudBase entry (timer trigger). */
export const main = cloudbaseTimerMain(dispatchHandoffsJob);
