/**
 * LEM takes its API token either as the HTTP Basic user name with an empty password (the
 * document's way) or in an `X-AuthToken` header; some proxies in front of LEM strip one of them.
 */
export type LemAuthStyle = 'basic' | 'header';

export function lemAuthHeaders(token: string, style: LemAuthStyle): Record<string, string> {
  switch (style) {
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` };
    case 'header':
      return { 'x-authtoken': token };
    default: {
      const never: never = style;
      return never;
    }
  }
}
