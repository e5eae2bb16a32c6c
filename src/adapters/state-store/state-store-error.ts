export type StateStoreErrorCode = 'invalid_state' | 'device_secret_unreadable';

/**
 * Why a save failed before anything was written. Only `save` throws: what `load` finds on disk is
 * always answered with a refusal instead.
 */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';

  constructor(
    readonly code: StateStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
