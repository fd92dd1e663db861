import type { IncomingMessage } from 'node:http';

/**
 * The caller's address for IP allow lists. Behind `trustedProxies` reverse
 * proxies, each appends the address it received the request from to
 * `X-Forwarded-For`, so the client is that many entries from the right;
 * anything further left was sent by the client and is not trusted.
 */
export function clientIpResolver(
  trustedProxies: number,
): (req: IncomingMessage) => string | undefined {
  if (trustedProxies <= 0) return req => req.socket.remoteAddress;
  return req => {
    const header = req.headers['x-forwarded-for'];
    const entries = (Array.isArray(header) ? header.join(',') : header ?? '')
      .split(',')
      .map(entry => entry.trim())
      .filter(Boolean);
    if (entries.length < trustedProxies) return req.socket.remoteAddress;
    return entries[entries.length - trustedProxies];
  };
}
