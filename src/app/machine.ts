import { join } from 'node:path';
import type { Logger } from '../agent/ports.js';
import { detectMachine } from '../adapters/system-facts/detect-machine.js';
import { machineVerdictFile } from '../adapters/system-facts/machine-verdict-file.js';
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

export interface MachineWatch {
  current(): MachineVerdict;
  /**
   * Runs detection (once the agent is ready: the probe must not slow the ready path); resolves
   * when its verdict is in use and saved. It never rejects.
   */
  detect(): Promise<void>;
}

/**
 * The machine's verdict for the decisions: the config's word; or the verdict saved at the last
 * start, then detection again once the agent is ready. With neither, `unknown` until detection
 * ends, so a `prevent_vm` licence waits for it denied, never granted.
 */
export async function watchMachine(
  config: ResolvedConfig,
  detect: DetectMachine,
  log: Logger,
  onVerdict: (verdict: MachineVerdict) => void,
): Promise<MachineWatch> {
  if (config.machine !== 'auto') {
    const verdict = declaredMachine(config.machine);
    log.info({ machine: verdict.kind }, 'device.machine is set: the machine is not detected');
    return { current: () => verdict, detect: () => Promise.resolve() };
  }
  const file = machineVerdictFile(config.stateDirectory);
  let verdict = (await file.load()) ?? NOT_YET;
  return {
    current: () => verdict,
    detect: () =>
      detect().then(
        async (found) => {
          const changed = found.kind !== verdict.kind;
          verdict = found;
          if (changed) {
            log.info({ machine: found.kind, basis: found.basis }, 'machine detected');
            onVerdict(found);
          }
          await file.save(found).catch((error: unknown) => {
            log.warn({ err: error }, 'could not save the machine verdict');
          });
        },
        (error: unknown) => {
          log.warn({ err: error }, 'machine detection failed: the verdict stays as it was');
        },
      ),
  };
}
