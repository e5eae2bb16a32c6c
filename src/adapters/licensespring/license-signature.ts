import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { parseVendorInstant } from './vendor-date.js';

/**
 * The per-licence `license_signature` (api/README.md, "Per-licence signature (v1)"; the vendor
 * SDK's `checkSignatureV1`): RSA-SHA256 by the vendor key over the lower-cased
 * `<hardware_id>#<licence key, or user name up to any "|">#<validity_period as ISO UTC, or "">`.
 * Unlike the body-wide `LicenseSignature`, it names the device, so it is what binds an answer to
 * this hardware ID. It is checked apart from parsing: the parser accepts what the vendor sends,
 * this says whether each licence was issued to this device.
 */
export function licenseSignedText(hardwareId: string, license: unknown): string | null {
  if (typeof license !== 'object' || license === null) return null;
  const raw = license as {
    license_key?: unknown;
    user?: { email?: unknown } | null;
    validity_period?: unknown;
  };
  const key =
    typeof raw.license_key === 'string' && raw.license_key !== '' ? raw.license_key : null;
  const email = typeof raw.user?.email === 'string' ? raw.user.email : null;
  const id = key ?? email?.split('|')[0] ?? null;
  if (id === null) return null;
  let validity = '';
  if (typeof raw.validity_period === 'string' && raw.validity_period !== '') {
    // The SDK runs `new Date(v).toISOString()`; our reading of a zone-less vendor time is UTC,
    // which is what the SDK gets on a UTC machine (and what the vendor means).
    const at = parseVendorInstant(raw.validity_period);
    if (at === null) return null;
    validity = new Date(at).toISOString();
  }
  return `${hardwareId}#${id}#${validity}`.toLowerCase();
}

/** What the licences' own signatures say about a `device_licenses` body for this device. */
export type LicenseBinding = 'bound' | 'unsigned' | 'foreign';

/**
 * `bound` when every licence carries a `license_signature` that verifies for this hardware ID;
 * `unsigned` when none carries one (the vendor's own example body: nothing can be bound, and the
 * body signature is all there is); `foreign` otherwise. The body was signed as one, so a body with
 * one licence issued to another device, or with some licences signed and others not (the vendor
 * signs all or none), is not this device's answer, and none of it is believed.
 */
export function licenseBinding(
  body: unknown,
  hardwareId: string,
  publicKey: KeyObject,
): LicenseBinding {
  if (!Array.isArray(body)) return 'unsigned';
  const licenses = body as unknown[];
  const signatures = licenses.map((license) => {
    const signature = (license as { license_signature?: unknown } | null)?.license_signature;
    return typeof signature === 'string' && signature !== '' ? signature : null;
  });
  if (signatures.every((signature) => signature === null)) return 'unsigned';
  const allVerify = licenses.every((license, i) => {
    const signature = signatures[i] ?? null;
    const text = licenseSignedText(hardwareId, license);
    return signature !== null && text !== null && verifies(text, signature, publicKey);
  });
  return allVerify ? 'bound' : 'foreign';
}

function verifies(text: string, signature: string, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return createVerify('RSA-SHA256').update(text).verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** What the vendor (and so the sandbox) puts in `license_signature`. */
export function signLicense(hardwareId: string, license: unknown, privateKey: KeyObject): string {
  const text = licenseSignedText(hardwareId, license);
  if (text === null) throw new TypeError('a licence needs a key or a user to be signed');
  return createSign('RSA-SHA256').update(text).sign(privateKey, 'base64');
}
