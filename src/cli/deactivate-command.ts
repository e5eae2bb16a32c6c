import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { systemClock } from '../adapters/clock/system-clock.js';
import { maskLicenseKey } from '../adapters/logging/mask-license-key.js';
import { createSystemFacts } from '../adapters/system-facts/system-facts.js';
import { readIdentity } from '../app/read-identity.js';
import { connectUpstream } from '../app/upstream.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { Values } from './command.js';
import type { DEACTIVATE_OPTIONS } from './commands/deactivate.js';
import { EXIT } from './exit-codes.js';
import { quietLogger } from './quiet-logger.js';
import { complain, configPath, println, type CliIo } from './io.js';

interface Activation {
  readonly product: string;
  readonly key: string;
  readonly licenseId: number | null;
}

/** `deactivate`: gives this device's activations back (`deactivate_license`). */
export async function deactivateCommand(
  values: Values<typeof DEACTIVATE_OPTIONS>,
  io: CliIo,
  confirm: (question: string) => Promise<boolean> = askOnTerminal,
): Promise<number> {
  if ((values['key-from'] === undefined) === (values.all !== true)) {
    complain(io, 'deactivate: give --key-from FILE or --all (one of them)');
    return EXIT.usage;
  }
  let config;
  try {
    config = await loadConfig({ path: configPath(values.config, io.env).path, env: io.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    complain(io, error.message);
    return EXIT.config;
  }
  if (config.upstream.kind === 'sandbox') {
    complain(
      io,
      'licensespring.baseUrl is sandbox: the sandbox lives inside the running agent and forgets its activations when it stops; there is nothing to give back',
    );
    return EXIT.unavailable;
  }
  let key: string | null = null;
  if (values['key-from'] !== undefined) {
    try {
      key = (await readFile(values['key-from'], 'utf8')).trim();
    } catch (error) {
      complain(
        io,
        `cannot read ${values['key-from']}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
      return EXIT.noInput;
    }
  }
  const identity = await readIdentity(
    config,
    createSystemFacts({ credentialsDirectory: io.env['CREDENTIALS_DIRECTORY'] }),
  );
  if (identity.resolution.kind === 'unidentifiable') {
    complain(io, 'no hardware ID could be composed on this machine: see edge-license-agent hwid');
    return EXIT.error;
  }
  const hardwareId = identity.resolution.hardwareId;
  const anchor = {
    publicKey:
      config.upstream.publicKeyPem === null ? null : createPublicKey(config.upstream.publicKeyPem),
    sandboxKey: null,
  };
  const upstream = await connectUpstream(config, anchor, systemClock, quietLogger);
  try {
    const signal = AbortSignal.timeout(60_000);
    const listed = await upstream.api.deviceLicenses(hardwareId, signal);
    if (listed.kind !== 'genuine') {
      complain(
        io,
        `device_licenses did not answer genuinely (${listed.kind}): nothing was given back`,
      );
      return EXIT.unavailable;
    }
    const held: Activation[] = listed.value.flatMap((l) =>
      l.key === null ? [] : [{ product: l.productCode, key: l.key, licenseId: l.id }],
    );
    let chosen: Activation[];
    if (key === null) {
      chosen = held;
    } else {
      const found = held.find((a) => a.key === key);
      const configured = (config.activate ?? []).find((a) => a.key === key);
      const product = found?.product ?? configured?.product;
      if (product === undefined) {
        complain(
          io,
          `the key ${maskLicenseKey(key)} is not held by this device (${hardwareId}), nor named in licensespring.activate`,
        );
        return EXIT.no;
      }
      chosen = [{ product, key, licenseId: found?.licenseId ?? null }];
    }
    if (chosen.length === 0) {
      println(
        io.stdout,
        `no key-based licence is activated on ${hardwareId}: nothing to give back`,
      );
      return EXIT.ok;
    }
    if (values.yes !== true) {
      if (!process.stdin.isTTY) {
        complain(
          io,
          `deactivate: ${String(chosen.length)} activation(s) would be given back; add --yes to do it off a terminal`,
        );
        return EXIT.usage;
      }
      if (
        !(await confirm(
          `give back ${String(chosen.length)} activation(s) of ${hardwareId}? [y/N] `,
        ))
      ) {
        println(io.stdout, 'nothing given back');
        return EXIT.ok;
      }
    }
    let refused = 0;
    for (const a of chosen) {
      const outcome = await upstream.activation.deactivate(
        { hardwareId, product: a.product, licenseKey: a.key },
        signal,
      );
      const name = `${a.product} ${a.licenseId === null ? '' : `licence ${String(a.licenseId)} `}key ${maskLicenseKey(a.key)}`;
      if (outcome.kind === 'genuine') {
        println(io.stdout, `gave back   ${name}`);
      } else {
        refused++;
        const why =
          outcome.kind === 'refused' ? (outcome.upstreamCode ?? outcome.code) : outcome.kind;
        println(io.stdout, `NOT given back  ${name}: ${why}`);
      }
    }
    return refused === 0 ? EXIT.ok : EXIT.no;
  } finally {
    await upstream.close();
  }
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
