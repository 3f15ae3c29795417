/** The signed-in user's display name (GET/PUT /me): what friends read as the sender of the gifts sent from now on. */
import { api, type ResponseOf } from './api';

export const getMe = () => api<ResponseOf<'getProfile'>>('GET', '/me');
export const putMe = (displayName: string) => api<ResponseOf<'setProfile'>>('PUT', '/me', { displayName });
