import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_LICENSE_KEY,
  SANDBOX_PRODUCT_CODE,
} from '../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { apiUrl, send, signedHeaders } from '../adapters/sandbox/sandbox-http.js';
import { startFaultAgent, type FaultAgent } from '../faults/agent-harness.js';

let sandbox: Sandbox;
let agent: FaultAgent | undefined;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await agent?.stop();
  await sandbox.close();
});

/** Another device takes one of the floating feature's slots, as a real neighbour would. */
async function holdSlot(hardwareId: string): Promise<number> {
  const answer = await send(
    apiUrl(sandbox.url, 'check_license_feature', {
      license_key: SANDBOX_LICENSE_KEY,
      hardware_id: hardwareId,
      product: SANDBOX_PRODUCT_CODE,
      feature: 'opc-ua-connector',
    }),
    { headers: signedHeaders(Date.now()) },
  );
  return answer.status;
}

describe('featureChecks: auto with features listed', () => {
  it('denies a floating feature whose slots other devices hold, though the config lists another feature', async () => {
    // The sandbox's opc-ua-connector has two floating slots.
    expect([await holdSlot('neighbour-1'), await holdSlot('neighbour-2')]).toEqual([200, 200]);
    agent = await startFaultAgent(sandbox, sandbox.url, (config) => ({
      ...config,
      features: ['reporting'],
      featureChecks: 'auto',
    }));
    await agent.agent.refresh();
    const floating = await agent.feature('opc-ua-connector');
    expect(floating).toMatchObject({ allowed: false, reason: 'floating_slots_exhausted' });
    expect(await agent.feature('reporting')).toMatchObject({ allowed: true });
  });
});
