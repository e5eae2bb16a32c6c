import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  licenseBinding,
  licenseSignedText,
  signLicense,
} from '../../../src/adapters/licensespring/license-signature.js';

const vendor = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyed = { id: 1, license_key: 'AAAA-BBBB', validity_period: '2027-01-31' };
const userBased = { id: 2, user: { email: 'Ops@Example.com|sso' }, validity_period: null };

const example = JSON.parse(
  readFileSync(
    new URL('../../fixtures/licensespring/device-licenses.004-example.json', import.meta.url),
    'utf8',
  ),
) as unknown;

const signedFor = (hardwareId: string, license: object, key = vendor.privateKey) => ({
  ...license,
  license_signature: signLicense(hardwareId, license, key),
});

describe('the per-licence license_signature', () => {
  it('signs the lower-cased hardware ID, licence key or user name, and validity as an ISO instant', () => {
    expect(licenseSignedText('HW-1', keyed)).toBe('hw-1#aaaa-bbbb#2027-01-31t00:00:00.000z');
    expect(licenseSignedText('HW-1', userBased)).toBe('hw-1#ops@example.com#');
  });

  it('binds an answer whose every licence is signed for this device', () => {
    const body = [signedFor('hw-1', keyed), signedFor('hw-1', userBased)];
    expect(licenseBinding(body, 'hw-1', vendor.publicKey)).toBe('bound');
  });

  it('calls another device’s answer foreign', () => {
    const body = [signedFor('hw-2', keyed)];
    expect(licenseBinding(body, 'hw-1', vendor.publicKey)).toBe('foreign');
  });

  it('calls a licence signed by another key, or edited after signing, foreign', () => {
    expect(
      licenseBinding([signedFor('hw-1', keyed, stranger.privateKey)], 'hw-1', vendor.publicKey),
    ).toBe('foreign');
    const extended = { ...signedFor('hw-1', keyed), validity_period: '2099-12-31' };
    expect(licenseBinding([extended], 'hw-1', vendor.publicKey)).toBe('foreign');
  });

  it('calls a body with some licences signed and others not foreign: the vendor signs all or none', () => {
    const body = [signedFor('hw-1', keyed), userBased];
    expect(licenseBinding(body, 'hw-1', vendor.publicKey)).toBe('foreign');
  });

  it('finds nothing to bind in the vendor’s example body, which carries no license_signature', () => {
    expect(licenseBinding(example, 'any-device', vendor.publicKey)).toBe('unsigned');
  });
});
