import { afterEach, describe, expect, it } from 'vitest';
import {
  activatableLicense,
  SANDBOX_ACTIVATION_KEY,
} from '../../src/adapters/sandbox/activatable-licenses.js';
import { SANDBOX_PRODUCT_CODE } from '../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { HARDWARE_ID, startFaultAgent, type FaultAgent } from '../faults/agent-harness.js';

const activating = (config: ResolvedConfig): ResolvedConfig => ({
  ...config,
  activate: [{ product: SANDBOX_PRODUCT_CODE, key: SANDBOX_ACTIVATION_KEY }],
});

function activations(sandbox: Sandbox) {
  return sandbox.requests().filter((r) => r.path.endsWith('/activate_license'));
}

describe('a configured licence key on a fresh device', () => {
  let sandbox: Sandbox | undefined;
  let fault: FaultAgent | undefined;
  afterEach(async () => {
    await fault?.stop();
    await sandbox?.close();
  });

  it('is activated once, then listed, decided and never activated again across restarts', async () => {
    sandbox = await startSandbox();
    fault = await startFaultAgent(sandbox, sandbox.url, activating);
    await fault.agent.refresh();
    await fault.agent.refresh();
    expect(activations(sandbox)).toHaveLength(1);
    expect(sandbox.activations(SANDBOX_ACTIVATION_KEY)).toBe(1);
    expect(await fault.feature('fleet-insights')).toMatchObject({ allowed: true, state: 'active' });
    expect((await fault.status())['activation']).toEqual([
      { product: SANDBOX_PRODUCT_CODE, keyHint: '…0003', state: 'listed' },
    ]);
    fault = await fault.restart();
    await fault.agent.refresh();
    await fault.agent.refresh();
    expect(activations(sandbox)).toHaveLength(1);
    const logged = JSON.stringify(fault.logs);
    expect(logged).not.toContain(SANDBOX_ACTIVATION_KEY);
  });

  it('at its activation limit, is refused with the fix, once per sync and never in a loop', async () => {
    sandbox = await startSandbox({
      activatable: [{ ...activatableLicense(Date.now()), max_activations: 0 }],
    });
    fault = await startFaultAgent(sandbox, sandbox.url, activating);
    await fault.agent.refresh();
    const status = await fault.status();
    expect(status['activation']).toEqual([
      expect.objectContaining({
        state: 'refused',
        code: 'license_activation_limit_reached',
        fix: expect.stringContaining('deactivate it on another device'),
      }),
    ]);
    const syncs = sandbox.requests().filter((r) => r.path.endsWith('/device_licenses')).length;
    expect(activations(sandbox)).toHaveLength(syncs);
    expect(await fault.feature('fleet-insights')).toMatchObject({
      allowed: false,
      reason: 'not_licensed',
    });
    const warnings = fault.logs.filter((l) => l.msg.includes('refused to activate'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(fault.logs)).not.toContain(SANDBOX_ACTIVATION_KEY);
  });
});

describe('the sandbox activation imitation', () => {
  it('takes one activation per hardware ID up to max_activations, and gives it back', async () => {
    const sandbox = await startSandbox();
    try {
      const other = await startFaultAgent(sandbox, sandbox.url, activating);
      await other.agent.refresh();
      await other.stop();
      expect(sandbox.activations(SANDBOX_ACTIVATION_KEY)).toBe(1);
      expect(HARDWARE_ID).toBe('fault-device');
    } finally {
      await sandbox.close();
    }
  });
});
