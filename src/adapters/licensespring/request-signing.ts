import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * LicenseSpring's HMAC request authentication: base64 HMAC-SHA256, keyed with the shared key, over
 * `licenseSpring\ndate: <Date header>`, sent as
 * `Authorization: algorithm="hmac-sha256",headers="date",signature="<S>",apikey="<API key>"`.
 */
export function hmacSignature(sharedKey: string, date: string): string {
  return createHmac('sha256', sharedKey).update(`licenseSpring\ndate: ${date}`).digest('base64');
}

export function hmacAuthorization(apiKey: string, sharedKey: string, date: string): string {
  const signature = hmacSignature(sharedKey, date);
  return `algorithm="hmac-sha256",headers="date",signature="${signature}",apikey="${apiKey}"`;
}

/** The parameters of an HMAC `Authorization` header, or null when it is not of that form. */
export function parseHmacAuthorization(header: string): Readonly<Record<string, string>> | null {
  const params: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)/gy;
  let consumed = 0;
  for (let match = pattern.exec(header); match !== null; match = pattern.exec(header)) {
    const [whole, name, value] = match;
    if (name === undefined || value === undefined) return null;
    params[name.toLowerCase()] = value;
    consumed += whole.length;
    if (consumed >= header.length) break;
  }
  return consumed === header.length && consumed > 0 ? params : null;
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
