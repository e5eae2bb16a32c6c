import { createSign, type KeyObject } from 'node:crypto';
import { signResponse } from '../../src/adapters/licensespring/response-signature.js';
import type { Answer } from './fault-proxy.js';

const SIGNATURE = 'licensesignature';
export const SMUGGLED = 'smuggled';

/** Only `device_licenses` answers are edited: it is the call a sync stands on. */
export function onDeviceLicenses(edit: (answer: Answer) => Answer): (answer: Answer) => Answer {
  return (answer) =>
    answer.status === 200 && answer.body.trimStart().startsWith('[') ? edit(answer) : answer;
}

/**
 * What a forger would want the agent to believe: every licence valid until 2099 and carrying one
 * more feature, `smuggled`. Unsigned text: a fault decides what to do with the signature.
 */
export function grantMore(body: string): string {
  const licenses = JSON.parse(body) as Record<string, unknown>[];
  return JSON.stringify(
    // The per-licence signature would name the old validity: a forger drops it, and the body
    // signature is then what the faults below are about.
    licenses.map(({ license_signature: _bound, ...license }) => ({
      ...license,
      validity_period: '2099-12-31',
      is_expired: false,
      product_features: [
        ...(license['product_features'] as unknown[]),
        {
          id: 1,
          code: SMUGGLED,
          name: 'Smuggled',
          feature_type: 'activation',
          expiry_date: null,
        },
      ],
    })),
  );
}

/** The forged grant, with the sandbox's signature header removed. */
export function withoutSignature(answer: Answer): Answer {
  const { [SIGNATURE]: _dropped, ...headers } = answer.headers;
  return { ...answer, headers, body: grantMore(answer.body) };
}

/** The forged grant under the sandbox's signature of the original body. */
export function withStaleSignature(answer: Answer): Answer {
  return { ...answer, body: grantMore(answer.body) };
}

/** The forged grant, properly signed with `key`: the sandbox's own (a control) or a stranger's. */
export function grantSignedBy(key: KeyObject): (answer: Answer) => Answer {
  return (answer) => {
    const body = grantMore(answer.body);
    return { ...answer, body, headers: { ...answer.headers, [SIGNATURE]: sign(body, key) } };
  };
}

/**
 * A body signed with the sandbox's own key, so the signature holds, whose shape is wrong: the
 * forged grant plus one licence whose `license_enabled` is text. Only the shape check stands.
 */
export function wrongShapeSignedBy(sandboxKey: KeyObject): (answer: Answer) => Answer {
  return (answer) => {
    const licenses = JSON.parse(grantMore(answer.body)) as Record<string, unknown>[];
    const first = licenses[0] ?? {};
    const body = JSON.stringify([...licenses, { ...first, id: 42, license_enabled: 'yes' }]);
    return { ...answer, body, headers: { ...answer.headers, [SIGNATURE]: sign(body, sandboxKey) } };
  };
}

/** Not JSON at all, though it claims to be, signed or not. */
export function malformed(answer: Answer): Answer {
  return { ...answer, body: '{"oops"' };
}

/** The sandbox's signed answer cut in half; Content-Length matches the cut body. */
export function truncated(answer: Answer): Answer {
  return { ...answer, body: answer.body.slice(0, answer.body.length >> 1) };
}

/** The genuine answer, its `Date` header years ahead (the header is not covered by the signature). */
export function dateYearsAhead(years: number): (answer: Answer) => Answer {
  return (answer) => {
    const at = Date.parse(answer.headers['date'] ?? '') + years * 365 * 24 * 3_600_000;
    return { ...answer, headers: { ...answer.headers, date: new Date(at).toUTCString() } };
  };
}

/** The vendor's error body, as its gateway would send it. */
export function vendorError(status: number, code: string, extra: Record<string, string> = {}) {
  const body = JSON.stringify({ status, code, message: `upstream says ${code}` });
  return {
    kind: 'reply' as const,
    answer: { status, headers: { 'content-type': 'application/json', ...extra }, body },
  };
}

function sign(body: string, key: KeyObject): string {
  return signResponse(JSON.parse(body), key);
}

/**
 * Another device's signed answer, as a forger who captured it would serve it to this one: the
 * forged grant, each licence carrying the vendor's `license_signature` for `otherHardwareId`
 * (api/README.md: over `<hardware_id>#<key>#<validity>`, lower-cased), the body signed as the
 * vendor signs it. Everything about it is genuine except the device it was issued to.
 */
export function answerOfAnotherDevice(
  key: KeyObject,
  otherHardwareId: string,
): (answer: Answer) => Answer {
  return (answer) => {
    const licenses = (JSON.parse(grantMore(answer.body)) as Record<string, unknown>[]).map(
      (license) => ({
        ...license,
        license_signature: createSign('RSA-SHA256')
          .update(licenseSignedText(otherHardwareId, license))
          .sign(key, 'base64'),
      }),
    );
    const body = JSON.stringify(licenses);
    return { ...answer, body, headers: { ...answer.headers, [SIGNATURE]: sign(body, key) } };
  };
}

/** The answer as recorded earlier, its `Date` moved by `shiftMs` (the header is not signed). */
export function replayed(recorded: Answer, shiftMs: number): Answer {
  const at = Date.parse(recorded.headers['date'] ?? '') + shiftMs;
  return { ...recorded, headers: { ...recorded.headers, date: new Date(at).toUTCString() } };
}

/** The vendor's v1 signed text, written out here from the document rather than imported. */
function licenseSignedText(hardwareId: string, license: Record<string, unknown>): string {
  const user = license['user'] as { email?: string } | null | undefined;
  const id = (license['license_key'] as string | undefined) ?? user?.email?.split('|')[0] ?? '';
  const validity = license['validity_period'];
  const at = typeof validity === 'string' ? new Date(validity).toISOString() : '';
  return `${hardwareId}#${id}#${at}`.toLowerCase();
}
