import { expect } from 'vitest';
import { AgentClientError } from '../../src/client/index.js';

/** The rejection, checked to be an AgentClientError. */
export async function failure(promise: Promise<unknown>): Promise<AgentClientError> {
  const error: unknown = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentClientError);
  return error as AgentClientError;
}
