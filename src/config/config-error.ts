/** One thing wrong with the configuration, named by its dotted key and where the value came from. */
export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
  /** `default`, `file <path>` or `env <NAME>`. */
  readonly source: string | null;
}

import { AgentError, type AgentErrorCode } from '../domain/agent-error.js';

export type ConfigErrorCode = Extract<
  AgentErrorCode,
  'config_unreadable' | 'config_syntax' | 'config_invalid'
>;

/** A configuration the agent will not start with. Its message is one line, fit for a terminal. */
export class ConfigError extends AgentError {
  override readonly name = 'ConfigError';

  constructor(
    override readonly code: ConfigErrorCode,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      code,
      `invalid configuration: ${issues
        .map((i) => `${i.key}: ${i.message}${i.source === null ? '' : ` (from ${i.source})`}`)
        .join('; ')}`,
    );
  }
}
