import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { listProductsRoute } from './handler';

/** AWS Lambda entry (API Gateway HTTP API). */
export const handler = lambdaHttpHandler([listProductsRoute]);
