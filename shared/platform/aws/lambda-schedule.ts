// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { RuntimeFactory } from '../../composition/runtime';
import { deadlineWithin, type Job } from '../../jobs/job';
import { awsRuntime } from './aws-runtime';

/** The Lambda edge of a scheduled function: an EventBridge "Scheduled Event" runs the job once, within the invocation's time. */
export function lambdaScheduledHandler<R>(job: Job<R>, runtime: RuntimeFactory = awsRuntime) {
  return async (event: ScheduledEvent, context: Context): Promise<R> => {
    const startedAt = Date.now();
    const { deps } = await runtime();
    // The dispatchers drain what is due within the invocation's time left, not a fixed count.
    const report = await job.run(deps, { deadline: deadlineWithin(startedAt, context.getRemainingTimeInMillis()) });
    deps.logger.info(
      { job: job.name, scheduledAt: event.time, eventId: event.id, requestId: context.awsRequestId, report },
      'scheduled job finished',
    );
    return report;
  };
}
