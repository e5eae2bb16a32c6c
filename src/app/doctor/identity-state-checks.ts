import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SystemFacts } from '../../agent/identity-ports.js';
import { fromSavedState } from '../../agent/saved-state.js';
import { createEvidenceReader } from '../../adapters/licensespring/evidence-reader.js';
import { SANDBOX_SIGNING_KEY_FILE } from '../../adapters/sandbox/signing-key-file.js';
import { createStateStore } from '../../adapters/state-store/state-store.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { readIdentity } from '../read-identity.js';
import { fail, pass, skip, warn, type CheckResult } from './doctor-check.js';

/**
 * The hardware ID as the agent would present it, read-only (as `hwid` does): which machine facts
 * could be read, and whether the device still matches its enrolment.
 */
export async function identityCheck(
  config: ResolvedConfig,
  facts: SystemFacts,
): Promise<{ readonly result: CheckResult; readonly hardwareId: string | null }> {
  const id = 'hardware-id';
  const { resolution, machine } = await readIdentity(config, facts);
  const found = Object.entries(machine.components)
    .filter(([, value]) => value !== null)
    .map(([name]) => name);
  switch (resolution.kind) {
    case 'unidentifiable':
      return {
        hardwareId: null,
        result: fail(
          id,
          'none of the NIC MAC, machine-id or DMI UUID could be read',
          'set device.hardwareId, or see `edge-license-agent hwid` for what was tried',
        ),
      };
    case 'overridden':
      return {
        hardwareId: resolution.hardwareId,
        result: pass(id, `${resolution.hardwareId} (device.hardwareId)`),
      };
    case 'replaced':
      return {
        hardwareId: resolution.hardwareId,
        result: warn(
          id,
          `${resolution.hardwareId}: not the machine enrolled as ${resolution.previousHardwareId} (changed: ${resolution.changed.join(', ')})`,
          'a cloned disk gets a new ID and needs its own licences; if the hardware was replaced, move the licences to the new ID',
        ),
      };
    case 'drifted':
      return {
        hardwareId: resolution.hardwareId,
        result: warn(
          id,
          `${resolution.hardwareId}, kept although ${resolution.changed.join(', ')} changed since enrolment`,
          'nothing to do while the rest still matches; one more change and the device gets a new ID',
        ),
      };
    case 'enrolled':
    case 'unchanged':
      return {
        hardwareId: resolution.hardwareId,
        result:
          found.length < 2
            ? warn(
                id,
                `${resolution.hardwareId}, from ${found.join(', ')} only`,
                'with one source, a single change gives the device a new ID: `edge-license-agent hwid` shows what could not be read (DMI: the dmi-uuid.conf drop-in)',
              )
            : pass(id, `${resolution.hardwareId}, from ${found.join(', ')}`),
      };
    default: {
      const never: never = resolution;
      return never;
    }
  }
}

/** The saved state loads, decrypts and its answers verify, exactly as at the agent's start. */
export async function savedStateCheck(
  config: ResolvedConfig,
  hardwareId: string | null,
): Promise<CheckResult> {
  const id = 'saved-state';
  if (hardwareId === null) return skip(id, 'no hardware ID to load the state for');
  const store = createStateStore({ directory: config.stateDirectory, readOnly: true });
  const loaded = await store.load(hardwareId);
  if (loaded.kind === 'absent') {
    return warn(
      id,
      'no saved state yet',
      'the agent saves one after its first sync; until then it cannot answer offline',
    );
  }
  const fix =
    'the agent ignores it and starts as unknown until its next sync replaces it: check that the licence server is reachable';
  if (loaded.kind === 'refused')
    return fail(id, `refused: ${loaded.reason} (${loaded.detail})`, fix);
  const publicKey = await verificationKey(config);
  if (publicKey.kind === 'missing') {
    return warn(id, publicKey.detail, "the sandbox makes its key at the agent's next start");
  }
  const restored = fromSavedState(loaded.state, createEvidenceReader(publicKey.key));
  if (!restored.ok) return fail(id, `refused: ${restored.reason} (${restored.detail})`, fix);
  const genuine = loaded.state.trust.lastGenuineAt;
  return pass(
    id,
    `loads and verifies; saved ${new Date(loaded.state.savedAt).toISOString()}, last genuine answer ${genuine === null ? 'never' : new Date(genuine).toISOString()}`,
  );
}

/** The key saved answers verify with; for the sandbox, read only if it exists (doctor writes nothing). */
async function verificationKey(
  config: ResolvedConfig,
): Promise<{ kind: 'key'; key: KeyObject | null } | { kind: 'missing'; detail: string }> {
  if (config.upstream.kind === 'licensespring') {
    const pem = config.upstream.publicKeyPem;
    return { kind: 'key', key: pem === null ? null : createPublicKey(pem) };
  }
  const path = join(config.stateDirectory, SANDBOX_SIGNING_KEY_FILE);
  try {
    return { kind: 'key', key: createPublicKey(await readFile(path, 'utf8')) };
  } catch {
    return { kind: 'missing', detail: `the sandbox's signing key ${path} cannot be read` };
  }
}
