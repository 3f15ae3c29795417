// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { RuntimeFactory } from '../../composition/runtime';
import type { Job } from '../../jobs/job';
import { awsRuntime } from './aws-runtime';

/** The Lambda edge of a scheduled function: an EventBridge "Scheduled Event" runs the job once. */
export function lambdaScheduledHandler<R>(job: Job<R>, runtime: RuntimeFactory = awsRuntime) {
  return async (event: ScheduledEvent, context: Context): Promise<R> => {
    const { deps } = await runtime();
    const report = await job.run(deps);
    deps.logger.info(
      { job: job.name, scheduledAt: event.time, eventId: event.id, requestId: context.awsRequestId, report },
      'scheduled job finished',
    );
    return report;
  };
}
