import type { ResolvedConfig } from '../../config/resolved-config.js';
import { declaredMachine } from '../../domain/machine-verdict.js';
import type { DetectMachine } from '../machine.js';
import { pass, warn, type CheckResult } from './doctor-check.js';

/** What the machine is, as the agent will see it: what `prevent_vm` licences depend on. */
export async function machineCheck(
  config: ResolvedConfig,
  detect: DetectMachine,
): Promise<CheckResult> {
  const verdict = config.machine === 'auto' ? await detect() : declaredMachine(config.machine);
  const detail = `${verdict.kind} (${verdict.basis.join('; ')})`;
  if (verdict.kind === 'unknown') {
    return warn(
      'machine',
      `${detail}: licences marked prevent_vm will be denied`,
      'set device.machine to physical if this is a physical machine',
    );
  }
  const note = verdict.kind === 'physical' ? '' : ': licences marked prevent_vm are denied here';
  return pass('machine', `${detail}${note}`);
}
