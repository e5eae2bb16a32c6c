import { afterEach, describe, expect, it } from 'vitest';
import { sandboxLicenses } from '../../src/adapters/sandbox/fixture-licenses.js';
import { startSandbox, type Sandbox } from '../../src/adapters/sandbox/sandbox-server.js';
import { startFaultAgent, type FaultAgent } from '../faults/agent-harness.js';

const CONCURRENCY = 32; // the most sync.concurrency allows
const CODES = Array.from({ length: CONCURRENCY }, (_, i) => `feature-${String(i)}`);

/** One licence carrying a feature for each code, so that a sync checks them all at once. */
function licenceWithEveryCode() {
  const [licence] = sandboxLicenses(Date.now());
  const [feature] = licence!.product_features;
  return {
    ...licence!,
    product_features: CODES.map((code, i) => ({ ...feature!, id: i + 1, code, name: code })),
  };
}

describe('an agent making sync.concurrency upstream calls at once', () => {
  let sandbox: Sandbox | undefined;
  let fault: FaultAgent | undefined;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(async () => {
    process.off('warning', onWarning);
    await fault?.stop();
    await sandbox?.close();
  });

  it('makes them without Node warning of a listener leak on its lifetime signal', async () => {
    process.on('warning', onWarning);
    sandbox = await startSandbox({ defaultLicenses: [licenceWithEveryCode()] });
    fault = await startFaultAgent(sandbox, sandbox.url, (config) => ({
      ...config,
      featureChecks: 'all',
      sync: { ...config.sync, concurrency: CONCURRENCY },
    }));
    await fault.agent.refresh();
    const checks = sandbox.requests().filter((r) => r.path.endsWith('/check_license_feature'));
    // The boot sync and the refresh: one check of every feature each.
    expect(new Set(checks.map((r) => r.query['feature']))).toEqual(new Set(CODES));
    expect(checks).toHaveLength(2 * CODES.length);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
