import { cloudbaseTimerMain } from '../../shared/platform/cloudbase/cloudbase-timer';
import { dispatchRefundsJob } from './handler';

/** Tencent CloudBase entry (timer trigger). */
export const main = cloudbaseTimerMain(dispatchRefundsJob);
