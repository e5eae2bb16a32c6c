import type { LicenseApi, Logger } from '../agent/ports.js';
import type { UpstreamAuth } from '../config/resolved-config.js';
import type { RejectionCode } from '../domain/refusal.js';
import type { UpstreamOutcome } from '../domain/upstream-outcome.js';

/**
 * The config settings to check when the licence server rejects a request, by the method in use.
 * A rejection says nothing about the licence: it is the operator's to fix, and the log line must
 * say where.
 */
export function settingsToCheck(code: RejectionCode, auth: UpstreamAuth): string {
  switch (code) {
    case 'date_header_diff':
      return "the device's clock (timedatectl): the server refuses requests dated 15 minutes off";
    case 'unauthorized':
    case 'forbidden':
    case 'signature_mismatch':
    case 'hmac_required':
    case 'authorization_invalid_headers':
    case 'missing_headers':
      return auth.method === 'hmac'
        ? 'licensespring.auth.apiKey and licensespring.auth.sharedKey'
        : 'licensespring.auth.clientId and licensespring.auth.clientSecret (and licensespring.auth.tokenUrl)';
    default: {
      const never: never = code;
      return never;
    }
  }
}

/**
 * The License API, saying on the first rejection of a run of them which settings to check: one
 * warning (as for every upstream fault), not one per call, until an answer gets through again.
 */
export function namingRejections(api: LicenseApi, auth: UpstreamAuth, log: Logger): LicenseApi {
  let said = false;
  const watch = <T>(outcome: UpstreamOutcome<T>): UpstreamOutcome<T> => {
    if (outcome.kind !== 'rejected') {
      if (outcome.kind === 'genuine' || outcome.kind === 'refused') said = false;
      return outcome;
    }
    if (!said) {
      said = true;
      log.warn(
        { code: outcome.code, status: outcome.status, check: settingsToCheck(outcome.code, auth) },
        `the licence server rejected the request (${outcome.code}): check ${settingsToCheck(outcome.code, auth)}`,
      );
    }
    return outcome;
  };
  return {
    deviceLicenses: async (hardwareId, signal) =>
      watch(await api.deviceLicenses(hardwareId, signal)),
    checkFeature: async (request, signal) => watch(await api.checkFeature(request, signal)),
  };
}
