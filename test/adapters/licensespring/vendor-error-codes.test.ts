import { describe, expect, it } from 'vitest';
import { meaningOfErrorCode } from '../../../src/adapters/licensespring/vendor-error-codes.js';

describe('the vendor error codes', () => {
  it.each([
    ['unknown_product', 'unknown_product'],
    ['license_not_found', 'license_not_found'],
    ['license_not_enabled', 'license_disabled'],
    ['license_not_active', 'license_not_active'],
    ['device_not_found', 'device_not_found'],
    ['blacklisted', 'device_blacklisted'],
    ['invalid_license_feature_code', 'feature_not_on_license'],
    ['floating_not_available', 'floating_slots_exhausted'],
  ])('%s is a refusal about the licence (%s)', (upstream, code) => {
    expect(meaningOfErrorCode(400, upstream)).toEqual({ kind: 'refused', code });
  });

  it.each([
    'date_header_diff',
    'signature_mismatch',
    'hmac_required',
    'authorization_invalid_headers',
    'missing_headers',
  ])('%s rejects the request, and says nothing about the licence', (upstream) => {
    expect(meaningOfErrorCode(400, upstream)).toEqual({ kind: 'rejected', code: upstream });
  });

  it('an undocumented code is not believed: errors are unsigned, and only the documented revoke', () => {
    expect(meaningOfErrorCode(400, 'something_new')).toEqual({ kind: 'not-genuine' });
    expect(meaningOfErrorCode(400, null)).toEqual({ kind: 'not-genuine' });
  });

  it.each([404, 409, 410, 418, 422])(
    'a documented code with status %i, which the vendor never sends it with, is not believed',
    (status) => {
      expect(meaningOfErrorCode(status, 'blacklisted')).toEqual({ kind: 'not-genuine' });
      expect(meaningOfErrorCode(status, 'date_header_diff')).toEqual({ kind: 'not-genuine' });
    },
  );

  it('a proxy asking for credentials (407) is the way being blocked, whatever its body says', () => {
    expect(meaningOfErrorCode(407, 'blacklisted')).toEqual({ kind: 'unreachable', cause: 'proxy' });
  });

  it('401 and 403 without a code reject the credentials', () => {
    expect(meaningOfErrorCode(401, null)).toEqual({ kind: 'rejected', code: 'unauthorized' });
    expect(meaningOfErrorCode(403, null)).toEqual({ kind: 'rejected', code: 'forbidden' });
  });
});
