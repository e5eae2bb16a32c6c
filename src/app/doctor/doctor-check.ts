/** How one check came out: `skip` when it could not run because an earlier one failed. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One line of `doctor`: what was checked, what was found and, unless it passed, what to do. */
export interface CheckResult {
  /** Stable, for `--json` readers: `config`, `state-directory`, `upstream-call`, … */
  readonly id: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix: string | null;
}

export const pass = (id: string, detail: string): CheckResult => ({
  id,
  status: 'pass',
  detail,
  fix: null,
});

export const warn = (id: string, detail: string, fix: string): CheckResult => ({
  id,
  status: 'warn',
  detail,
  fix,
});

export const fail = (id: string, detail: string, fix: string): CheckResult => ({
  id,
  status: 'fail',
  detail,
  fix,
});

export const skip = (id: string, detail: string): CheckResult => ({
  id,
  status: 'skip',
  detail,
  fix: null,
});
