import { lambdaScheduledHandler } from '../../shared/platform/aws/lambda-schedule';
import { dispatchNotificationsJob } from './handler';

/** AWS Lambda entry (EventBridge schedule). */
export const handler = lambdaScheduledHandler(dispatchNotificationsJob);
