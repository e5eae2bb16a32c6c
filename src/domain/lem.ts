import type { UnreachableCause } from './upstream-outcome.js';

/** Litmus Edge Manager's licence pool and catalogues, as the agent keeps them: pure data. */

/** Counts of the project pool's licences by state (`device-license-pool/stats`). */
export interface LemPoolStats {
  readonly active: number;
  readonly used: number;
  readonly unused: number;
  readonly expired: number;
}

/** One SKU allocated to the pool (`device-license-pool/skus`). */
export interface LemSku {
  readonly licenseSku: string;
  readonly count: number;
  readonly isCore: boolean;
}

/** One licence record held by a device (an entry of `used[].licenses`). Times are epoch ms. */
export interface LemUsedLicense {
  readonly id: string;
  readonly licenseKey: string | null;
  readonly licenseSku: string;
  readonly status: string;
  readonly activationDate: number | null;
  readonly expiryDate: number | null;
  readonly expiryFeatureDate: number | null;
  readonly isCore: boolean;
  readonly isTrial: boolean;
}

/** One device using pool licences (`device-license-pool/used` elements). */
export interface LemUsedDevice {
  readonly projectId: string;
  readonly deviceId: string;
  readonly deviceName: string | null;
  readonly deviceFriendlyName: string | null;
  readonly macAddress: string | null;
  readonly expiryFeatureDate: number | null;
  readonly licenses: readonly LemUsedLicense[];
}

/** One page of `used`; `pageNum` counts from 0. */
export interface LemUsedPage {
  readonly pageNum: number;
  readonly pagesCount: number;
  readonly totalSize: number;
  readonly elements: readonly LemUsedDevice[];
}

/** A LEM server feature (`/api/v1/feature`): what the server itself offers. */
export interface LemServerFeature {
  readonly name: string;
  readonly description: string | null;
  readonly type: string;
  readonly enabled: boolean;
}

/** A feature the LEM licence unlocks (`/api/v1/licenses2/features`). `count` -1 is unmetered. */
export interface LemLicenseFeature {
  readonly name: string;
  readonly description: string | null;
  readonly expiresAt: number | null;
  readonly count: number;
  readonly limited: boolean;
  readonly enabled: boolean;
}

/** LEM's answer to an upload or an e-mailed report: `S` is success. */
export interface LemAcknowledgement {
  readonly code: string;
  readonly message: string | null;
}

/** The report's columns, in the document's order. */
export const LEM_REPORT_COLUMNS = [
  'Project ID',
  'Device ID',
  'Device name',
  'Device friendly name',
  'Device MAC address',
  'License key',
  'SKU',
  'Activation date',
  'Expiry date',
  'Feature Expiry Date',
  'Is core',
  'Is trial',
  'Status',
] as const;

/** Every documented refusal, one stable code each. */
export type LemRefusalCode =
  | 'lem_token_rejected'
  | 'lem_permission_denied'
  | 'lem_bad_request'
  | 'lem_not_found'
  | 'lem_unexpected_status';

/** Why LEM could not be reached; `tls` is a certificate that is neither trusted nor pinned. */
export type LemUnreachableCause = UnreachableCause | 'tls';

/**
 * Every way one LEM call ends, as data. Each non-`ok` kind carries a one-line message for a
 * person, which never contains the token.
 */
export type LemOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | {
      readonly kind: 'refused';
      readonly status: number;
      readonly code: LemRefusalCode;
      readonly message: string;
    }
  | {
      readonly kind: 'unreachable';
      readonly cause: LemUnreachableCause;
      readonly status: number | null;
      /** The transport's own error code (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`), when there was one. */
      readonly transportCode: string | null;
      readonly message: string;
    }
  | { readonly kind: 'malformed'; readonly detail: string }
  | {
      readonly kind: 'invalid-input';
      readonly code: 'lem_csv_invalid';
      /** 1-based, as an editor shows them; column 0 when the whole line is wrong. */
      readonly line: number;
      readonly column: number;
      readonly message: string;
    };

export type LemOutcomeKind = LemOutcome<unknown>['kind'];

/** The label an outcome is counted under: bounded and stable. */
export function lemOutcomeLabel(outcome: LemOutcome<unknown>): string {
  switch (outcome.kind) {
    case 'ok':
      return 'ok';
    case 'refused':
      return outcome.code;
    case 'unreachable':
      return outcome.cause;
    case 'malformed':
      return 'malformed';
    case 'invalid-input':
      return outcome.code;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
