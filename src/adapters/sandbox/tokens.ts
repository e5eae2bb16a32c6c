import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** Access tokens the sandbox has issued, each valid until its expiry by the sandbox's clock. */
export class TokenStore {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(): IssuedToken {
    this.forgetExpired();
    // Opaque and unguessable, as a real token is to its bearer: nothing to derive from a clock.
    const accessToken = randomBytes(32).toString('base64url');
    this.expiries.set(accessToken, this.now() + this.ttlSeconds * 1000);
    return { accessToken, expiresInSeconds: this.ttlSeconds };
  }

  isValid(accessToken: string): boolean {
    const expiresAt = this.expiries.get(accessToken);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  /** A long-running sandbox (`npm start`) must not grow with every renewal. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.expiries) {
      if (expiresAt <= now) this.expiries.delete(token);
    }
  }
}
