import { afterEach, describe, expect, it } from 'vitest';
import { sandboxLicenses } from '../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import type { MachineVerdict } from '../../src/domain/machine-verdict.js';
import { startFaultAgent, type FaultAgent } from '../faults/agent-harness.js';

/** The sandbox's key-based licence, marked by the vendor as not for virtual machines. */
function guardedLicences() {
  const [guarded, ...rest] = sandboxLicenses(Date.now());
  return [{ ...guarded!, prevent_vm: true }, ...rest];
}

const found = (kind: MachineVerdict['kind']): MachineVerdict => ({
  kind,
  basis: [`the test found ${kind}`],
  overridden: false,
});

describe('a prevent_vm licence against the sandbox', () => {
  let sandbox: Sandbox | undefined;
  let fault: FaultAgent | undefined;
  afterEach(async () => {
    await fault?.stop();
    await sandbox?.close();
  });

  it('is denied as vm_not_allowed when the machine is found to be virtual', async () => {
    sandbox = await startSandbox({ defaultLicenses: guardedLicences() });
    fault = await startFaultAgent(sandbox, sandbox.url, undefined, {
      machine: found('virtual_machine'),
    });
    await fault.agent.refresh();
    expect(await fault.feature('reporting')).toMatchObject({
      allowed: false,
      state: 'denied',
      reason: 'vm_not_allowed',
    });
    const status = await fault.status();
    expect(status['device']['machine']).toEqual(found('virtual_machine'));
  });

  it('is granted when the machine is found to be physical', async () => {
    sandbox = await startSandbox({ defaultLicenses: guardedLicences() });
    fault = await startFaultAgent(sandbox, sandbox.url, undefined, { machine: found('physical') });
    await fault.agent.refresh();
    expect(await fault.feature('reporting')).toMatchObject({ allowed: true, state: 'active' });
  });

  it("is denied on the config's word that it is a container, without detection", async () => {
    sandbox = await startSandbox({ defaultLicenses: guardedLicences() });
    fault = await startFaultAgent(
      sandbox,
      sandbox.url,
      (config) => ({ ...config, machine: 'container' }),
      { machine: found('physical') },
    );
    await fault.agent.refresh();
    expect((await fault.feature('reporting'))['reason']).toBe('vm_not_allowed');
    expect((await fault.status())['device']['machine']).toMatchObject({
      kind: 'container',
      overridden: true,
    });
  });
});
