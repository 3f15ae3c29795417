import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { listGiftsRoute } from './handler';

/** AWS Lambda entry (API Gateway HTTP API). */
export const handler = lambdaHttpHandler([listGiftsRoute]);
