import { join } from 'node:path';
import type { IdentityLoad, MachineFacts, SystemFacts } from '../agent/identity-ports.js';
import { createIdentityStore, IDENTITY_FILE } from '../adapters/identity-store/identity-store.js';
import { sha256Hex } from '../adapters/system-facts/digest.js';
import { createSystemFacts } from '../adapters/system-facts/system-facts.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { declaredMachine } from '../domain/machine-verdict.js';
import { probeMachine, type DetectMachine } from '../app/machine.js';
import { resolveIdentity, type HardwareComponentName } from '../domain/hardware-id.js';
import type { Values } from './command.js';
import type { HWID_OPTIONS } from './commands/hwid.js';
import { EXIT } from './exit-codes.js';
import { COMPONENT_LABELS, identityHow, type IdentitySources } from './identity-how.js';
import { complain, configPath, exists, println, type CliIo } from './io.js';

/**
 * `hwid`: the hardware ID the agent uses and the facts behind it. It reads the config as `run`
 * does, and the enrolment in the state directory, but never writes state. Without a config file
 * at the default place it still shows the ID composed from this machine's facts.
 */
export async function hwidCommand(
  values: Values<typeof HWID_OPTIONS>,
  io: CliIo,
  facts: SystemFacts = createSystemFacts({ credentialsDirectory: io.env['CREDENTIALS_DIRECTORY'] }),
  detect: DetectMachine = probeMachine,
): Promise<number> {
  const choice = configPath(values.config, io.env);
  let override: string | null = null;
  let declared: ResolvedConfig['machine'] = 'auto';
  let sources: IdentitySources = { kind: 'no-config' };
  const configRead = choice.from !== 'default' || (await exists(choice.path));
  if (configRead) {
    try {
      const config = await loadConfig({ path: choice.path, env: io.env });
      override = config.hardwareIdOverride;
      declared = config.machine;
      const stored: IdentityLoad = await createIdentityStore(config.stateDirectory).load();
      sources = {
        kind: 'config',
        stored,
        identityFile: join(config.stateDirectory, IDENTITY_FILE),
      };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      complain(io, error.message);
      return EXIT.config;
    }
  }
  const [machine, verdict] = await Promise.all([
    facts.read(),
    declared === 'auto' ? detect() : Promise.resolve(declaredMachine(declared)),
  ]);
  const stored =
    sources.kind === 'config' && sources.stored.kind === 'loaded' ? sources.stored.identity : null;
  // `now` only dates an enrolment, which hwid never saves.
  const resolution = resolveIdentity({
    stored,
    current: machine.components,
    override,
    digestHex: sha256Hex,
    now: 0,
  });
  const how = identityHow(resolution, sources);
  const config = configRead ? choice.path : null;
  const exit = resolution.kind === 'unidentifiable' ? EXIT.error : EXIT.ok;
  if (values.json === true) {
    const { save: _save, ...shown } = resolution;
    println(
      io.stdout,
      JSON.stringify({ how, config, resolution: shown, facts: machine, machine: verdict }, null, 2),
    );
    return exit;
  }
  if (resolution.kind === 'unidentifiable') complain(io, `no hardware ID: ${how}`);
  else println(io.stdout, resolution.hardwareId);
  const out = (line: string) => {
    println(io.stdout, line);
  };
  if (resolution.kind !== 'unidentifiable') out(`  how:        ${how}`);
  if (resolution.kind === 'overridden') {
    out(`  composed:   ${resolution.composedHardwareId ?? 'none: no machine fact could be read'}`);
  }
  out(`  config:     ${config ?? `none read (${choice.path} does not exist)`}`);
  out(`  machine:    ${verdict.kind} (${verdict.basis.join('; ')})`);
  printFacts(machine, out);
  return exit;
}

function printFacts(facts: MachineFacts, out: (line: string) => void): void {
  out('components');
  for (const name of Object.keys(COMPONENT_LABELS) as HardwareComponentName[]) {
    const value = facts.components[name];
    out(`  ${COMPONENT_LABELS[name].padEnd(11)} ${value ?? 'absent'}`);
    for (const a of facts.sources[name]) {
      out(
        `              ${a.source}: ${a.result}${a.detail === undefined ? '' : ` (${a.detail})`}`,
      );
    }
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
}
