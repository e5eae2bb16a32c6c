import { describe, expect, it } from 'vitest';
import { maskLicenseKey } from '../../../src/adapters/logging/mask-license-key.js';

describe('maskLicenseKey', () => {
  it('shows only the last four characters of a licence key', () => {
    expect(maskLicenseKey('AAAA-BBBB-CCCC-WU13')).toBe('…WU13');
  });

  it('shows nothing of a key so short that four characters would give much of it away', () => {
    expect(maskLicenseKey('SHORT-KEY1')).toBe('…');
    expect(maskLicenseKey('')).toBe('…');
  });
});
