import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { IdentityResolver } from '../../http/identity';
import { UserId } from '../../schemas/common';

/**
 * The HTTP API's JWT authorizer has already verified signature, issuer, audience and expiry before the
 * function runs; the caller is the token's `sub` claim (for a WeChat login, the openid).
 */
export const jwtAuthorizerIdentity: IdentityResolver = (c) => {
  const event = (c.env as { event?: APIGatewayProxyEventV2WithJWTAuthorizer } | undefined)?.event;
  const sub = event?.requestContext?.authorizer?.jwt?.claims?.sub;
  return typeof sub === 'string' && UserId.safeParse(sub).success ? sub : null;
};
