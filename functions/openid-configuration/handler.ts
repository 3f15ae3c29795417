import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { requireTokenIssuer } from '../../shared/use-cases/sign-in-with-wechat';

/** GET /.well-known/openid-configuration: where API Gateway's JWT authorizer finds the app's keys (jwks_uri). */
export default route(contract.openIdConfiguration, async ({ deps }) => ({
  body: requireTokenIssuer(deps).openIdConfiguration(),
  headers: { 'Cache-Control': 'public, max-age=300' },
}));
