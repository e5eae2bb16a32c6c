import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// promtool comes from the Debian package `prometheus`. CI installs it (.ci/run), so there a missing
// binary is a failure; on a developer machine without it the tests skip and say why.
export const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';
const inCi = process.env['CI'] === 'true';

export const PROMETHEUS_CONFIG = fileURLToPath(
  new URL('../../config/prometheus/', import.meta.url),
);

export interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

/** Runs promtool in config/prometheus; undefined (after skipping) when it is not installed. */
export function promtool(
  args: readonly string[],
  skip: (note: string) => void,
): ToolRun | undefined {
  const result = spawnSync(PROMTOOL, args, { cwd: PROMETHEUS_CONFIG, encoding: 'utf8' });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  if (missing && !inCi) {
    skip(`${PROMTOOL} not found: install the Debian package "prometheus" to run this`);
    return undefined;
  }
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: result.stdout + result.stderr };
}
