import type { UpstreamOutcome } from '../domain/upstream-outcome.js';

export interface ActivationRequest {
  readonly hardwareId: string;
  readonly product: string;
  readonly licenseKey: string;
}

/**
 * Binds a licence key to this device (`POST activate_license`) or gives it back
 * (`POST deactivate_license`). One attempt per call; the answer is authenticated and verified like
 * every License API answer. Any 400 is a definite refusal (`refused`, the vendor's code in
 * `upstreamCode`): the codes for an activation limit are not documented.
 */
export interface ActivationApi {
  activate(request: ActivationRequest, signal: AbortSignal): Promise<UpstreamOutcome<null>>;
  deactivate(request: ActivationRequest, signal: AbortSignal): Promise<UpstreamOutcome<null>>;
}
