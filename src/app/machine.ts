import type { Logger } from '../agent/ports.js';
import { detectMachine } from '../adapters/system-facts/detect-machine.js';
import { join } from 'node:path';
import { packageManifest } from '../config/package-root.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { declaredMachine, type MachineVerdict } from '../domain/machine-verdict.js';

/** Reads what the machine is; the probe process by default, injected verdicts in tests. */
export type DetectMachine = () => Promise<MachineVerdict>;

const NOT_YET: MachineVerdict = {
  kind: 'unknown',
  basis: ['detection has not finished'],
  overridden: false,
};

/** The probe the package ships: `dist/bin/machine-probe.js`, found from the installed package. */
export const probeMachine: DetectMachine = () => {
  const manifest = packageManifest();
  if (manifest === null) {
    return Promise.resolve({
      kind: 'unknown',
      basis: ['the package was not found'],
      overridden: false,
    });
  }
  return detectMachine({ probeScript: join(manifest.root, 'dist', 'bin', 'machine-probe.js') });
};

/**
 * The machine's verdict for the decisions: the config's word, or detection, which runs beside
 * the ready path rather than on it. Until it ends the verdict is `unknown`, so a `prevent_vm`
 * licence waits for it denied, never granted.
 */
export function machineVerdictFor(
  config: ResolvedConfig,
  detect: DetectMachine,
  log: Logger,
  onVerdict: (verdict: MachineVerdict) => void,
): { current(): MachineVerdict } {
  if (config.machine !== 'auto') {
    const verdict = declaredMachine(config.machine);
    log.info({ machine: verdict.kind }, 'device.machine is set: the machine is not detected');
    return { current: () => verdict };
  }
  let verdict = NOT_YET;
  void detect().then((found) => {
    verdict = found;
    log.info({ machine: found.kind, basis: found.basis }, 'machine detected');
    onVerdict(found);
  });
  return { current: () => verdict };
}
