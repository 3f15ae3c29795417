import type { Job } from '../../jobs/job';
import type { Deps } from '../../ports/deps';
import { cloudbaseDeps } from './cloudbase-deps';

/** A timer trigger's event: { Type: 'Timer', TriggerName, Time, Message }. */
export interface TimerEvent {
  Type?: string;
  TriggerName?: string;
  Time?: string;
  Message?: string;
}

/** The CloudBase edge of a scheduled function: each timer firing runs the job once. */
export function cloudbaseTimerMain<R>(job: Job<R>, deps: () => Promise<Deps> = cloudbaseDeps) {
  return async (event: TimerEvent): Promise<R> => {
    const d = await deps();
    const report = await job.run(d);
    d.logger.info({ job: job.name, trigger: event?.TriggerName, firedAt: event?.Time, report }, 'scheduled job finished');
    return report;
  };
}
