// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import type { RuntimeFactory } from '../../composition/runtime';
import { deadlineWithin, type Job } from '../../jobs/job';
import { cloudbaseRuntime } from './cloudbase-runtime';

/** A timer trigger's event: { Type: 'Timer', TriggerName, Time, Message }. */
export interface TimerEvent {
  Type?: string;
  TriggerName?: string;
  Time?: string;
  Message?: string;
}

/**
 * The CloudBase edge of a scheduled function: each timer firing runs the job once, within the function's configured
 * timeout (cloudbaserc.json, from the manifest): CloudBase has no change stream, so its dispatchers drain what is due
 * with bounded concurrency until the deadline instead of a fixed count.
 */
export function cloudbaseTimerMain<R>(job: Job<R>, opts: { timeoutSeconds?: number } = {}, runtime: RuntimeFactory = cloudbaseRuntime) {
  return async (event: TimerEvent): Promise<R> => {
    const startedAt = Date.now();
    const { deps } = await runtime();
    const ctx = opts.timeoutSeconds === undefined ? {} : { deadline: deadlineWithin(startedAt, opts.timeoutSeconds * 1000) };
    const report = await job.run(deps, ctx);
    deps.logger.info({ job: job.name, trigger: event?.TriggerName, firedAt: event?.Time, report }, 'scheduled job finished');
    return report;
  };
}
