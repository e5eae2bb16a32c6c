import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MachineFacts, SystemFacts } from '../../src/agent/identity-ports.js';
import { createIdentityStore } from '../../src/adapters/identity-store/identity-store.js';
import { sha256Hex } from '../../src/adapters/system-facts/digest.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { hwidCommand } from '../../src/cli/hwid-command.js';
import { DEFAULT_CONFIG_PATH } from '../../src/cli/io.js';
import { composeHardwareId, type HardwareComponents } from '../../src/domain/hardware-id.js';
import { tempDirs } from '../temp-dirs.js';
import { capturedIo } from './captured-io.js';

const tempDir = tempDirs('ela-cli-hwid-');

const THIS_MACHINE: HardwareComponents = {
  mac: '52:54:00:12:34:56',
  machineId: '0123456789abcdef0123456789abcdef',
  dmiUuid: '4c4c4544-0042-3510-8052-b3c04f4e3132',
};
const COMPOSED = composeHardwareId(THIS_MACHINE, sha256Hex) ?? '';
const ENROLLED_AT = Date.parse('2026-01-15T08:30:00Z');

/** The machine facts a test decides: the port the agent reads them through, not a mock of it. */
function machine(components: HardwareComponents): SystemFacts {
  const facts: MachineFacts = {
    components,
    sources: {
      mac: [
        {
          source: '/sys/class/net/eth0/address',
          result: components.mac === null ? 'not-found' : 'used',
        },
      ],
      machineId: [
        { source: '/etc/machine-id', result: components.machineId === null ? 'not-found' : 'used' },
      ],
      dmiUuid: [
        {
          source: '/sys/class/dmi/id/product_uuid',
          result: components.dmiUuid === null ? 'permission-denied' : 'used',
        },
      ],
    },
    interfaces: [],
  };
  return { read: () => Promise.resolve(facts) };
}

/** A config file with its own state directory, and optionally an enrolment in it. */
async function setUp(
  options: {
    override?: string;
    enrolled?: HardwareComponents;
    enrolledAs?: string;
    identityFile?: string;
  } = {},
) {
  const dir = await tempDir();
  const state = join(dir, 'state');
  const config = join(dir, 'agent.yaml');
  const device =
    options.override === undefined ? '' : `device: { hardwareId: ${options.override} }\n`;
  await writeFile(
    config,
    `${device}stateDirectory: ${state}\nlicensespring: { baseUrl: sandbox }\n`,
  );
  if (options.enrolled !== undefined) {
    await createIdentityStore(state).save({
      hardwareId: options.enrolledAs ?? 'enrolled-id-0001',
      components: options.enrolled,
      enrolledAt: ENROLLED_AT,
    });
  }
  if (options.identityFile !== undefined) {
    await createIdentityStore(state).save({ hardwareId: 'x', components: THIS_MACHINE });
    await writeFile(join(state, 'identity.json'), options.identityFile);
  }
  return config;
}

async function hwid(
  args: { config?: string; json?: boolean },
  facts: SystemFacts,
  env: NodeJS.ProcessEnv = {},
) {
  const io = capturedIo(env);
  const code = await hwidCommand(args, io, facts);
  const lines = io.out().split('\n');
  return {
    code,
    out: io.out(),
    err: io.err(),
    id: lines[0],
    how: lines.find((l) => l.startsWith('  how:'))?.slice(14),
  };
}

describe('hwid reports the ID the agent uses, and says how it comes by it', () => {
  it('the override, when device.hardwareId is set, beside the ID the facts compose', async () => {
    const result = await hwid(
      { config: await setUp({ override: 'fixed-id-42' }) },
      machine(THIS_MACHINE),
    );
    expect(result.code).toBe(EXIT.ok);
    expect(result.id).toBe('fixed-id-42');
    expect(result.how).toBe('override (device.hardwareId)');
    expect(result.out).toContain(`  composed:   ${COMPOSED}`);
  });

  it('the enrolled ID, with its date, when the facts still match', async () => {
    const config = await setUp({ enrolled: THIS_MACHINE, enrolledAs: COMPOSED });
    const result = await hwid({ config }, machine(THIS_MACHINE));
    expect(result.id).toBe(COMPOSED);
    expect(result.how).toBe('enrolled 2026-01-15, unchanged');
  });

  it('the enrolled ID kept through a swapped NIC, naming what changed', async () => {
    const config = await setUp({ enrolled: THIS_MACHINE, enrolledAs: 'enrolled-id-0001' });
    const result = await hwid({ config }, machine({ ...THIS_MACHINE, mac: '52:54:00:ff:ff:ff' }));
    expect(result.id).toBe('enrolled-id-0001');
    expect(result.how).toBe('enrolled 2026-01-15, kept through a change of: mac');
  });

  it('the composed ID when the agent has not enrolled yet', async () => {
    const result = await hwid({ config: await setUp() }, machine(THIS_MACHINE));
    expect(result.id).toBe(COMPOSED);
    expect(result.how).toBe('composed from machine facts (not enrolled yet)');
  });

  it('the new composed ID on a machine the state was not enrolled on (a cloned disk)', async () => {
    const config = await setUp({ enrolled: THIS_MACHINE, enrolledAs: 'enrolled-id-0001' });
    const clone = {
      ...THIS_MACHINE,
      mac: '52:54:00:ab:cd:ef',
      dmiUuid: '00000000-1111-2222-3333-444444444444',
    };
    const result = await hwid({ config }, machine(clone));
    expect(result.id).toBe(composeHardwareId(clone, sha256Hex));
    expect(result.how).toMatch(
      /^composed from machine facts: not the machine enrolled as enrolled-id-0001 \(cloned disk\?\), changed: (mac, dmi-uuid|dmi-uuid, mac); the agent will enrol this ID$/,
    );
  });

  it('the composed ID when the enrolment file is corrupt, as the agent would re-enrol', async () => {
    const config = await setUp({ identityFile: '{ not json' });
    const result = await hwid({ config }, machine(THIS_MACHINE));
    expect(result.id).toBe(COMPOSED);
    expect(result.how).toMatch(
      /^composed from machine facts \(.*identity\.json is corrupt: not JSON; the agent will enrol again\)$/,
    );
  });

  it('reads the config named by $ELA_CONFIG, as run does', async () => {
    const config = await setUp({ override: 'from-env-config' });
    const result = await hwid({}, machine(THIS_MACHINE), { ELA_CONFIG: config });
    expect(result.id).toBe('from-env-config');
    expect(result.out).toContain(`  config:     ${config}`);
  });

  it.skipIf(existsSync(DEFAULT_CONFIG_PATH))(
    'without a config at the default place, still prints the composed ID and says no config was read',
    async () => {
      const result = await hwid({}, machine(THIS_MACHINE));
      expect(result.code).toBe(EXIT.ok);
      expect(result.id).toBe(COMPOSED);
      expect(result.how).toBe(
        'composed from machine facts (no config read, so no enrolment looked up)',
      );
      expect(result.out).toContain(
        `  config:     none read (${DEFAULT_CONFIG_PATH} does not exist)`,
      );
    },
  );

  it.each([
    ['--config', (missing: string) => ({ args: { config: missing }, env: {} })],
    ['$ELA_CONFIG', (missing: string) => ({ args: {}, env: { ELA_CONFIG: missing } })],
  ])(
    'a config asked for with %s that does not exist is a configuration error, exit 78',
    async (_how, given) => {
      const missing = join(await tempDir(), 'absent.yaml');
      const { args, env } = given(missing);
      const result = await hwid(args, machine(THIS_MACHINE), env);
      expect(result.code).toBe(EXIT.config);
      expect(result.err).toMatch(/^edge-license-agent: .*absent\.yaml: ENOENT/);
      expect(result.out).toBe('');
    },
  );

  it('no ID at all, exit 2, when no fact can be read and no override is set', async () => {
    const result = await hwid(
      { config: await setUp() },
      machine({ mac: null, machineId: null, dmiUuid: null }),
    );
    expect(result.code).toBe(EXIT.error);
    expect(result.err).toBe(
      'edge-license-agent: no hardware ID: no machine fact could be read; set device.hardwareId\n',
    );
  });

  it('--json carries the same how, the config read, and the resolution', async () => {
    const config = await setUp({ enrolled: THIS_MACHINE, enrolledAs: COMPOSED });
    const result = await hwid({ config, json: true }, machine(THIS_MACHINE));
    expect(JSON.parse(result.out)).toMatchObject({
      how: 'enrolled 2026-01-15, unchanged',
      config,
      resolution: { kind: 'unchanged', hardwareId: COMPOSED },
    });
  });
});
