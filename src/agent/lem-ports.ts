import type {
  LemAcknowledgement,
  LemLicenseFeature,
  LemOutcome,
  LemPoolStats,
  LemServerFeature,
  LemSku,
  LemUsedDevice,
  LemUsedPage,
} from '../domain/lem.js';

/**
 * What the agent needs from a Litmus Edge Manager: one method per documented endpoint, each
 * ending as a `LemOutcome`, never a throw (a throw only when `signal` aborts). The project is
 * the client's setting, not an argument: one agent serves one project.
 */
export interface LemApi {
  poolStats(signal: AbortSignal): Promise<LemOutcome<LemPoolStats>>;
  skus(signal: AbortSignal): Promise<LemOutcome<readonly LemSku[]>>;
  /** One page of the devices using pool licences; `pageNum` counts from 0. */
  usedPage(pageNum: number, signal: AbortSignal): Promise<LemOutcome<LemUsedPage>>;
  /** Every page of `used`, in order; the first page that fails ends it with that outcome. */
  allUsed(signal: AbortSignal): Promise<LemOutcome<readonly LemUsedDevice[]>>;
  serverFeatures(signal: AbortSignal): Promise<LemOutcome<readonly LemServerFeature[]>>;
  licenseFeatures(signal: AbortSignal): Promise<LemOutcome<readonly LemLicenseFeature[]>>;
  /** Checked locally first: an invalid file is `invalid-input` and nothing is sent. */
  uploadCsv(
    fileName: string,
    csv: string,
    signal: AbortSignal,
  ): Promise<LemOutcome<LemAcknowledgement>>;
  /** The usage report as CSV text; no device IDs means every device of the project. */
  reportCsv(deviceIds: readonly string[], signal: AbortSignal): Promise<LemOutcome<string>>;
  emailReport(
    deviceIds: readonly string[],
    emails: readonly string[],
    signal: AbortSignal,
  ): Promise<LemOutcome<LemAcknowledgement>>;
}
