import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * LicenseSpring signs each License API answer: the `LicenseSignature` header is base64 of an
 * RSA-SHA256 signature over `JSON.stringify(<parsed body>)`. Re-serialising the parsed body (not the
 * raw bytes) is what the vendor's SDKs verify, so it is what we verify.
 */
export const SIGNATURE_HEADER = 'licensesignature';

export function signedText(body: unknown): string {
  return JSON.stringify(body);
}

export function verifyResponseSignature(
  body: unknown,
  signature: string,
  publicKey: KeyObject,
): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return createVerify('RSA-SHA256')
      .update(signedText(body))
      .verify(publicKey, signature, 'base64');
  } catch {
    // A malformed signature is a wrong signature, not a crash.
    return false;
  }
}

export function signResponse(body: unknown, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(signedText(body)).sign(privateKey, 'base64');
}

/** Reads a PEM public key; throws node's own error for text that is not one. */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey({ key: pem, format: 'pem' });
}
