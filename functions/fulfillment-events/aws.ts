import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { fulfillmentEventRoute } from './handler';

/** AWS Lambda entry (API Gateway HTTP API, no JWT: authenticated by the merchant's signature). */
export const handler = lambdaHttpHandler([fulfillmentEventRoute]);
