import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { getProfile } from '../../shared/use-cases/profile';

/** GET /me: the caller's display name (null until set). */
export default route(contract.getProfile, async ({ deps, callerId }) => {
  const { displayName } = await getProfile(deps, callerId);
  return { body: { profile: { displayName } } };
});
