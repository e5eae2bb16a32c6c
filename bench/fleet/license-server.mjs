// The simulated License API: one server for the whole fleet, with the vendor's rate limits.
//
// Limits (the vendor README, ../shared/api/README.md beside the repo, "Rate limits"): per
// company over a rolling minute, 1,800 License API requests on the smallest plan and 18,000 on
// the largest, plus 50 a second per credential (and 200 per 10 s per IP, which a fleet of devices, each with its own address, never
// meets: not modelled). Modelled as token buckets refilled continuously: the company's holds a
// minute's requests, each credential's a second's. The documents do not say what a 429 carries;
// this server sends Retry-After as the whole seconds until the bucket that refused has a token
// again (at least 1 s), which the agent's HTTP adapter turns into `retryAfterMs`.

const SECOND = 1000;
const MINUTE = 60 * SECOND;

class TokenBucket {
  constructor(capacity, perMs, at) {
    this.capacity = capacity;
    this.perMs = perMs;
    this.tokens = capacity;
    this.at = at;
  }
  /** The ms until a token is there (0: now), after refilling up to `now`. */
  waitMs(now) {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }
}

export class SimulatedLicenseServer {
  /**
   * @param time the virtual clock
   * @param plan { perMinute, perCredentialPerSecond, credentials }
   * @param horizonMs how long the run lasts (sizes the per-second counters)
   */
  constructor(time, plan, horizonMs, devices) {
    this.time = time;
    this.company = new TokenBucket(plan.perMinute, plan.perMinute / MINUTE, time.now());
    this.credentials = Array.from(
      { length: plan.credentials },
      () =>
        new TokenBucket(
          plan.perCredentialPerSecond,
          plan.perCredentialPerSecond / SECOND,
          time.now(),
        ),
    );
    const seconds = Math.ceil(horizonMs / SECOND) + 1;
    /** Every request that reached the server (or, in an outage, tried to), per virtual second. */
    this.requests = new Uint32Array(seconds);
    this.tooMany = new Uint32Array(seconds);
    this.perDevice = new Uint32Array(devices);
    this.outage = null;
    /** licence records by device index: what the server says now (renewals change it). */
    this.licenses = [];
  }

  down(from, until) {
    this.outage = { from, until };
  }

  /** A LicenseApi port for one device. */
  apiFor(device) {
    return {
      deviceLicenses: () => {
        const refused = this.admit(device);
        if (refused !== null) return Promise.resolve(refused);
        return Promise.resolve(genuine([this.licenses[device.index]], this.time.now()));
      },
      checkFeature: (request) => {
        const refused = this.admit(device);
        if (refused !== null) return Promise.resolve(refused);
        const grant = {
          licenseId: request.licenseId,
          code: request.feature,
          expiresAt: null,
          floatingInUse: 1,
        };
        return Promise.resolve(genuine(grant, this.time.now()));
      },
    };
  }

  /** Counts the request; an outage's or a rate limit's answer, or null to answer genuinely. */
  admit(device) {
    const now = this.time.now();
    const second = Math.floor((now - this.time.origin) / SECOND);
    this.requests[second]++;
    this.perDevice[device.index]++;
    if (this.outage !== null && now >= this.outage.from && now < this.outage.until) {
      // Half the attempts find the port closed, half a 503 from a proxy in front.
      return device.index % 2 === 0
        ? { kind: 'unreachable', cause: 'connection_refused', status: null, retryAfterMs: null }
        : { kind: 'unreachable', cause: 'server_error', status: 503, retryAfterMs: null };
    }
    const credential = this.credentials[device.index % this.credentials.length];
    // A refused request spends no token of either bucket.
    const waitMs = Math.max(this.company.waitMs(now), credential.waitMs(now));
    if (waitMs === 0) {
      this.company.tokens -= 1;
      credential.tokens -= 1;
      return null;
    }
    this.tooMany[second]++;
    return {
      kind: 'unreachable',
      cause: 'rate_limited',
      status: 429,
      retryAfterMs: Math.max(1, Math.ceil(waitMs / SECOND)) * SECOND,
    };
  }
}

function genuine(value, serverDate) {
  return { kind: 'genuine', value, evidence: { body: '', signature: null }, serverDate };
}
