/**
 * `edge-license-agent/client`: ask a running agent whether a feature may run.
 *
 * ```ts
 * import { createAgentClient } from 'edge-license-agent/client';
 * const agent = createAgentClient();
 * if (await agent.isAllowed('reporting')) startReporting();
 * ```
 */
export {
  createAgentClient,
  type AgentClient,
  type AgentClientOptions,
  type RefreshOptions,
} from './agent-client.js';
export { AgentClientError, type AgentClientErrorCode } from './client-error.js';
export type {
  DecisionFields,
  DecisionReason,
  DecisionState,
  FeatureAnswer,
  FeatureChange,
  LicenseAnswer,
  RefreshAnswer,
  StatusAnswer,
  SyncAnswer,
} from './types.js';
