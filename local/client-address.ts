import type { IncomingMessage } from 'node:http';
import type { ClientAddressResolver } from '../shared/http/client-address';

/** The local server's peer: the socket's remote address (@hono/node-server passes the Node request as `incoming`). */
export const socketClientAddress: ClientAddressResolver = (c) =>
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? null;
