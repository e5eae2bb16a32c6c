import { AgentError, type AgentErrorCode } from '../../domain/agent-error.js';

export type StateStoreErrorCode = Extract<
  AgentErrorCode,
  'invalid_state' | 'device_secret_unreadable'
>;

/**
 * Why a save failed before anything was written. Only `save` throws: what `load` finds on disk is
 * always answered with a refusal instead.
 */
export class StateStoreError extends AgentError {
  override readonly name = 'StateStoreError';

  constructor(
    override readonly code: StateStoreErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
