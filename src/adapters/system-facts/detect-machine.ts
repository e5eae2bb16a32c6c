import { execFile } from 'node:child_process';
import { z } from 'zod';
import { machineVerdict, type MachineVerdict } from '../../domain/machine-verdict.js';

const facts = z.strictObject({
  systeminformation: z
    .strictObject({
      virtual: z.boolean(),
      virtualHost: z.string().nullable(),
      model: z.string().nullable(),
    })
    .nullable(),
  dmi: z.strictObject({ sysVendor: z.string().nullable(), productName: z.string().nullable() }),
  cpuHypervisor: z.boolean().nullable(),
  containerMarks: z.array(z.string()),
});

export interface DetectMachineOptions {
  /** The built probe (`dist/bin/machine-probe.js`). */
  readonly probeScript: string;
  readonly timeoutMs?: number;
}

/**
 * Whether this is a physical machine, a virtual machine or a container, read by a short-lived
 * probe process: systeminformation is as large as the rest of the agent, and the daemon's steady
 * memory must not carry it. A probe that fails or says nothing readable gives `unknown`.
 */
export function detectMachine(options: DetectMachineOptions): Promise<MachineVerdict> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.probeScript],
      { timeout: options.timeoutMs ?? 15_000, maxBuffer: 64 * 1024, windowsHide: true },
      (error, stdout) => {
        resolve(
          error === null ? verdictFrom(stdout) : unknown(`the probe failed: ${error.message}`),
        );
      },
    );
  });
}

/** The verdict from the probe's output line. */
export function verdictFrom(output: string): MachineVerdict {
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch {
    return unknown('the probe printed no JSON');
  }
  const parsed = facts.safeParse(json);
  return parsed.success
    ? machineVerdict(parsed.data)
    : unknown('the probe printed an unexpected shape');
}

function unknown(why: string): MachineVerdict {
  return { kind: 'unknown', basis: [why], overridden: false };
}
