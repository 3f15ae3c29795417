// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import type { RuntimeFactory } from '../../composition/runtime';
import type { Job } from '../../jobs/job';
import { cloudbaseRuntime } from './cloudbase-runtime';

/** A timer trigger's event: { Type: 'Timer', TriggerName, Time, Message }. */
export interface TimerEvent {
  Type?: string;
  TriggerName?: string;
  Time?: string;
  Message?: string;
}

/** The CloudBase edge of a scheduled function: each timer firing runs the job once. */
export function cloudbaseTimerMain<R>(job: Job<R>, runtime: RuntimeFactory = cloudbaseRuntime) {
  return async (event: TimerEvent): Promise<R> => {
    const { deps } = await runtime();
    const report = await job.run(deps);
    deps.logger.info({ job: job.name, trigger: event?.TriggerName, firedAt: event?.Time, report }, 'scheduled job finished');
    return report;
  };
}
