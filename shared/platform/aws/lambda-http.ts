import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import type { RuntimeFactory } from '../../composition/runtime';
import { createHttpApp } from '../../http/create-http-app';
import type { AnyRoute } from '../../http/route';
import { awsRuntime } from './aws-runtime';
import { jwtAuthorizerIdentity } from './jwt-authorizer-identity';

export type HttpApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * The Lambda edge of an HTTP function: API Gateway HTTP API (payload v2) in, the same Hono app the local server runs
 * (with only this function's routes), the response out. Identity comes from the JWT authorizer.
 */
export function lambdaHttpHandler(routes: readonly AnyRoute[], runtime: RuntimeFactory = awsRuntime): HttpApiHandler {
  let handler: ReturnType<typeof handle> | null = null;
  return async (event, context) => {
    if (!handler) {
      const { deps, callbackSecret } = await runtime();
      handler = handle(createHttpApp({ deps, identity: jwtAuthorizerIdentity, routes, callbackSecret }));
    }
    return handler(event as never, context as never);
  };
}
