import type { IdentityLoad } from '../agent/identity-ports.js';
import { createIdentityStore } from '../adapters/identity-store/identity-store.js';
import { sha256Hex } from '../adapters/system-facts/digest.js';
import { createSystemFacts } from '../adapters/system-facts/system-facts.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { resolveIdentity, type HardwareComponentName } from '../domain/hardware-id.js';
import type { CliValues } from './cli.js';
import { EXIT, println, type CliIo } from './io.js';

const LABELS: Readonly<Record<HardwareComponentName, string>> = {
  mac: 'mac',
  machineId: 'machine-id',
  dmiUuid: 'dmi-uuid',
};

/**
 * `hwid`: the hardware ID and the facts behind it. With a config it shows the ID the agent
 * presents (its override, or the enrolled ID kept through drift); it never writes state.
 */
export async function hwidCommand(values: CliValues, io: CliIo): Promise<number> {
  const configFile = values.config ?? io.env['ELA_CONFIG'];
  let override: string | null = null;
  let stored: IdentityLoad = { kind: 'absent' };
  if (configFile !== undefined) {
    try {
      const config = await loadConfig({ path: configFile, env: io.env });
      override = config.hardwareIdOverride;
      stored = await createIdentityStore(config.stateDirectory).load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      println(io.stderr, `edge-license-agent: ${error.message}`);
      return EXIT.config;
    }
  }
  const facts = await createSystemFacts({
    credentialsDirectory: io.env['CREDENTIALS_DIRECTORY'],
  }).read();
  const resolution = resolveIdentity({
    stored: stored.kind === 'loaded' ? stored.identity : null,
    current: facts.components,
    override,
    digestHex: sha256Hex,
    now: 0,
  });
  if (values.json === true) {
    println(
      io.stdout,
      JSON.stringify({ resolution: { ...resolution, save: undefined }, facts }, null, 2),
    );
    return resolution.kind === 'unidentifiable' ? EXIT.error : EXIT.ok;
  }
  const out = (line: string) => {
    println(io.stdout, line);
  };
  if (resolution.kind === 'unidentifiable') {
    println(
      io.stderr,
      'edge-license-agent: no hardware ID: no machine fact could be read; set device.hardwareId',
    );
  } else {
    out(resolution.hardwareId);
    out(`  how:        ${describe(resolution.kind, configFile !== undefined)}`);
    if ('changed' in resolution)
      out(`  changed:    ${resolution.changed.map((c) => LABELS[c]).join(', ')}`);
  }
  out('components');
  for (const name of Object.keys(LABELS) as HardwareComponentName[]) {
    const value = facts.components[name];
    const tried = facts.sources[name].map(
      (a) => `${a.source}: ${a.result}${a.detail === undefined ? '' : ` (${a.detail})`}`,
    );
    out(`  ${LABELS[name].padEnd(11)} ${value ?? 'absent'}`);
    for (const line of tried) out(`              ${line}`);
  }
  out('network interfaces');
  for (const nic of facts.interfaces) {
    const verdict =
      nic.kind === 'primary'
        ? 'primary'
        : nic.kind === 'passed-over'
          ? `passed over: ${nic.why}`
          : `rejected: ${nic.reason}`;
    out(`  ${nic.name.padEnd(16)} ${(nic.mac ?? '-').padEnd(18)} ${verdict}`);
  }
  return resolution.kind === 'unidentifiable' ? EXIT.error : EXIT.ok;
}

function describe(kind: string, withState: boolean): string {
  switch (kind) {
    case 'overridden':
      return 'set by device.hardwareId in the configuration';
    case 'enrolled':
      return withState
        ? 'composed from the facts below; not enrolled yet'
        : 'composed from the facts below';
    case 'unchanged':
      return 'enrolled, and the facts below still match';
    case 'drifted':
      return 'enrolled ID kept: a minority of the facts changed since enrolment';
    case 'replaced':
      return 'the facts no longer match the enrolment (cloned disk?): the agent will re-enrol';
    default:
      return kind;
  }
}
