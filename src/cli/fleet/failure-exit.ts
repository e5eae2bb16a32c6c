import type { ManagementFailure } from '../../adapters/management/management-failure.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/**
 * How a failed listing ends the process: a refused key is the configuration's to fix (78, which
 * a retry cannot mend); everything else is "no answer could be had" (2).
 */
export function exitForFailure(failure: ManagementFailure): ExitCode {
  switch (failure.code) {
    case 'management_credentials':
      return EXIT.config;
    case 'management_rate_limited':
    case 'management_unreachable':
    case 'management_refused':
    case 'management_bad_answer':
      return EXIT.error;
    default: {
      const never: never = failure;
      return never;
    }
  }
}
