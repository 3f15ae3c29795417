import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { readDeployConfig } from '../../config/deploy-config';
import { createHttpApp } from '../../http/create-http-app';
import type { Route } from '../../http/route';
import type { Deps } from '../../ports/deps';
import { awsDeps } from './aws-deps';
import { jwtAuthorizerIdentity } from './jwt-authorizer-identity';

export type HttpApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * The Lambda edge of an HTTP function: API Gateway HTTP API (payload v2) in, the same Hono app the local
 * server runs (with only this function's routes), the response out. Identity comes from the JWT authorizer.
 */
export function lambdaHttpHandler(routes: readonly Route[], deps: () => Promise<Deps> = awsDeps): HttpApiHandler {
  let handler: ReturnType<typeof handle> | null = null;
  return async (event, context) => {
    handler ??= handle(createHttpApp({ deps: await deps(), identity: jwtAuthorizerIdentity, routes, callbackSecret: readDeployConfig().MERCHANT_CALLBACK_SECRET }));
    return handler(event as never, context as never);
  };
}
