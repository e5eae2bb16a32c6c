import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Checks `Authorization: Bearer <token>` in constant time. Both sides are hashed first so that
 * neither the comparison's duration nor an early length mismatch reveals anything.
 */
export function bearerCheck(token: string): (req: IncomingMessage) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (req) => {
    const header = req.headers.authorization;
    if (header === undefined || !/^Bearer [^\s]+$/i.test(header)) return false;
    const given = createHash('sha256').update(header.slice(7)).digest();
    return timingSafeEqual(given, expected);
  };
}
