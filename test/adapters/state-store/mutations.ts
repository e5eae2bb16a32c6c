import { randomBytes } from 'node:crypto';
import { sealEnvelope } from '../../../src/adapters/state-store/envelope.js';
import type { SavedState } from '../../../src/agent/state-ports.js';
import { OTHER_HARDWARE_ID, sampleState } from './sample-state.js';
import type { Rng } from './seeded-rng.js';

const int = (rng: Rng, below: number): number => Math.floor(rng() * below);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

/** What the tamper test starts from: our file and key, and files made elsewhere. */
export interface Originals {
  readonly file: Buffer;
  readonly key: Buffer;
  /** A valid file of another device (another hardware ID), and that device's key. */
  readonly foreignFile: Buffer;
  readonly foreignKey: Buffer;
  /** A valid file with our hardware ID but sealed with another secret (a clone's, a guess). */
  readonly otherSecretFile: Buffer;
}

export interface Mutation {
  readonly name: string;
  readonly file: Uint8Array;
  /** What happens to device.key. */
  readonly key: 'keep' | 'delete' | Uint8Array;
  /** True when the loaded state would differ from the original: it must be refused. */
  readonly changesContent: boolean;
}

type Generator = (o: Originals, rng: Rng) => Mutation;

/** The file as JSON, typed just enough to edit; the edits break its meaning on purpose. */
interface EnvelopeJson {
  format: string;
  version: number;
  hardwareId: string;
  mac: string;
  state: {
    hardwareId: string;
    savedAt: number;
    deviceLicenses: {
      verifiedAt: number;
      evidence: { body: string; signature: string | null };
    };
    featureChecks: { code: string; answer: Record<string, unknown> & { verifiedAt: number } }[];
    trust: Record<'lastGenuineAt' | 'highestTrustedAt' | 'failingSince', number | null> & {
      lastFailure: string | null;
      clockRollbacks: number;
    };
  };
}

/** A licence in the device_licenses body, as far as the edits go. */
interface LicenceJson {
  validity_period: string | null;
  product_features: (Record<string, unknown> & { expiry_date: string | null })[];
}

/** Edits the parsed envelope and writes it back the way the agent lays it out. */
function edited(o: Originals, edit: (envelope: EnvelopeJson) => void): Uint8Array {
  const envelope = JSON.parse(o.file.toString('utf8')) as EnvelopeJson;
  edit(envelope);
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`);
}

/** Edits the licence body inside the device_licenses evidence, keeping the rest. */
function editedBody(o: Originals, edit: (licences: LicenceJson[]) => void): Uint8Array {
  return edited(o, (e) => {
    const evidence = e.state.deviceLicenses.evidence;
    const licences = JSON.parse(evidence.body) as LicenceJson[];
    edit(licences);
    evidence.body = JSON.stringify(licences, null, 4);
  });
}

const laterDate = (rng: Rng): string =>
  `${2026 + int(rng, 70)}-${String(1 + int(rng, 12)).padStart(2, '0')}-28`;

const mutate = (name: string, file: Uint8Array, changesContent = true): Mutation => ({
  name,
  file,
  key: 'keep',
  changesContent,
});

const generators: readonly Generator[] = [
  (o, rng) => {
    const bytes = Buffer.from(o.file);
    const at = int(rng, bytes.length);
    bytes[at] = bytes[at]! ^ (1 << int(rng, 8));
    // A flip inside whitespace can leave the same data; the check below then wants it equal.
    return mutate('flip one bit', bytes, false);
  },
  (o, rng) => {
    const bytes = Buffer.from(o.file);
    for (let n = 2 + int(rng, 15); n > 0; n--) {
      const at = int(rng, bytes.length);
      bytes[at] = bytes[at]! ^ (1 + int(rng, 255));
    }
    return mutate('flip several bytes', bytes, false);
  },
  (o, rng) => {
    // Digits are dates, instants, IDs and the MAC: the edits that keep the JSON valid.
    const text = o.file.toString('latin1');
    const digits = [...text.matchAll(/[0-9]/g)].map((m) => m.index);
    const at = pick(rng, digits);
    const digit = String((Number(text[at]) + 1 + int(rng, 9)) % 10);
    return mutate(
      'change one digit',
      Buffer.from(text.slice(0, at) + digit + text.slice(at + 1), 'latin1'),
    );
  },
  (o, rng) =>
    mutate(
      'extend validity_period',
      editedBody(o, (licences) => {
        for (const licence of licences) licence.validity_period = laterDate(rng);
      }),
    ),
  (o, rng) => {
    // The same date in the raw body, same length: no re-serialisation to give it away.
    const text = o.file.toString('utf8').replace('2023-12-20', laterDate(rng));
    return mutate('extend validity_period in place', Buffer.from(text));
  },
  (o, rng) =>
    mutate(
      'extend a feature expiry_date',
      editedBody(o, (licences) => {
        const licence = pick(rng, licences);
        for (const feature of licence.product_features)
          feature.expiry_date = `${laterDate(rng)}T00:00:00Z`;
      }),
    ),
  (o, rng) =>
    mutate(
      'add a feature',
      editedBody(o, (licences) => {
        pick(rng, licences).product_features.push({
          id: 1 + int(rng, 1e9),
          code: pick(rng, ['opc-ua-connector', 'analytics', 'reporting']),
          name: 'added',
          feature_type: 'activation',
          expiry_date: null,
          metadata: {},
          is_floating: false,
          is_floating_cloud: false,
        });
      }),
    ),
  (o, rng) => {
    const field = pick(rng, ['lastGenuineAt', 'highestTrustedAt', 'failingSince'] as const);
    const shift = pick(rng, [-1, 1]) * (1 + int(rng, 90 * 86_400_000));
    return mutate(
      `move trust.${field}`,
      edited(o, (e) => {
        const before = e.state.trust[field];
        e.state.trust[field] = rng() < 0.2 || before === null ? null : before + shift;
      }),
    );
  },
  (o, rng) =>
    mutate(
      'move savedAt or verifiedAt',
      edited(o, (e) => {
        const shift = 1 + int(rng, 30 * 86_400_000);
        if (rng() < 0.5) e.state.savedAt += shift;
        else e.state.deviceLicenses.verifiedAt += shift;
      }),
    ),
  (o, rng) =>
    mutate(
      'clear the failure and the rollbacks',
      edited(o, (e) => {
        e.state.trust.failingSince = null;
        e.state.trust.lastFailure = null;
        e.state.trust.clockRollbacks = int(rng, 2) === 0 ? 0 : 5;
      }),
    ),
  (o) =>
    mutate(
      'change a refused answer to genuine',
      edited(o, (e) => {
        const check = e.state.featureChecks[1]!;
        check.answer = {
          kind: 'genuine',
          evidence: {
            body: JSON.stringify({ code: check.code, expiry_date: null }),
            signature: null,
          },
          verifiedAt: check.answer.verifiedAt,
        };
      }),
    ),
  (o) =>
    mutate(
      'change a refusal code',
      edited(o, (e) => {
        e.state.featureChecks[1]!.answer.code = 'refused_other';
      }),
    ),
  (o, rng) =>
    mutate(
      'drop a feature check',
      edited(o, (e) => {
        e.state.featureChecks.splice(int(rng, e.state.featureChecks.length), 1);
      }),
    ),
  (o, rng) =>
    mutate(
      'edit an evidence signature',
      edited(o, (e) => {
        const evidence = e.state.deviceLicenses.evidence;
        evidence.signature = rng() < 0.5 ? null : `A${(evidence.signature ?? '').slice(1)}`;
      }),
    ),
  (o, rng) => {
    const where = pick(rng, ['envelope', 'state', 'both']);
    return mutate(
      `swap the hardware ID (${where})`,
      edited(o, (e) => {
        if (where !== 'state') e.hardwareId = OTHER_HARDWARE_ID;
        if (where !== 'envelope') e.state.hardwareId = OTHER_HARDWARE_ID;
      }),
    );
  },
  (o, rng) => mutate('truncate', o.file.subarray(0, int(rng, o.file.length)), false),
  (o, rng) => {
    const tail = pick(rng, [
      randomBytesFrom(rng, 1 + int(rng, 64)),
      Buffer.from('{"state":{"trust":{"lastGenuineAt":4102444800000}}}'),
      Buffer.from(' \n\t '),
    ]);
    return mutate('append', Buffer.concat([o.file, tail]), false);
  },
  (o, rng) => {
    // Parsers keep the last of duplicate keys: an injected copy after the real one wins.
    const text = o.file.toString('utf8');
    const later = String(4_102_444_800_000 + int(rng, 1e6));
    const injected = rng() < 0.5 ? `"savedAt": ${later},\n  "savedAt": ` : null;
    const replaced =
      injected === null
        ? text.replace(/("highestTrustedAt": \d+)/, `$1,\n      "highestTrustedAt": ${later}`)
        : text.replace(/"savedAt": /, injected);
    // Injected before the real key it changes nothing; after it, it changes the state.
    return mutate('inject a duplicate key', Buffer.from(replaced), false);
  },
  (o, rng) => ({
    name: "another device's file",
    file: o.foreignFile,
    // Sometimes its key is copied along: it must still not pass for this device.
    key: rng() < 0.5 ? 'keep' : o.foreignKey,
    changesContent: true,
  }),
  (o) => {
    // Another device's valid file, relabelled with our hardware ID.
    const envelope = JSON.parse(o.foreignFile.toString('utf8'));
    envelope.hardwareId = sampleState().hardwareId;
    envelope.state.hardwareId = sampleState().hardwareId;
    return {
      name: "another device's file, relabelled",
      file: Buffer.from(JSON.stringify(envelope)),
      key: o.foreignKey,
      changesContent: true,
    };
  },
  (o) => mutate('our hardware ID sealed with another secret', o.otherSecretFile),
  (o, rng) => {
    // What an editor without our key can do: edit, then seal with a key of its own.
    const forged: SavedState = {
      ...sampleState(),
      trust: { ...sampleState().trust, lastGenuineAt: 4_102_444_800_000 + int(rng, 1e6) },
    };
    return mutate('edit and re-seal with a guessed key', sealEnvelope(forged, randomBytes(32)));
  },
  (o, rng) =>
    mutate(
      'edit the MAC',
      edited(o, (e) => {
        const at = int(rng, e.mac.length);
        const others = '0123456789abcdef'.replace(e.mac.charAt(at), '');
        e.mac = `${e.mac.slice(0, at)}${others.charAt(int(rng, others.length))}${e.mac.slice(at + 1)}`;
      }),
    ),
  (o, rng) => {
    const bump = rng() < 0.5;
    return mutate(
      bump ? 'bump the version' : 'change the format',
      edited(o, (e) => {
        if (bump) e.version = 2;
        else e.format = 'edge-license-agent/state-v0';
      }),
    );
  },
  (o) => ({ name: 'delete the device key', file: o.file, key: 'delete', changesContent: true }),
  (o, rng) => ({
    name: 'replace the device key',
    file: o.file,
    key: rng() < 0.5 ? randomBytesFrom(rng, 32) : randomBytesFrom(rng, 1 + int(rng, 64)),
    changesContent: true,
  }),
  (o, rng) => {
    // Same data, other layout: allowed to load, and must then equal the original.
    const envelope = JSON.parse(o.file.toString('utf8'));
    return mutate('reformat', Buffer.from(JSON.stringify(envelope, null, int(rng, 5))), false);
  },
];

export const generatorCount = generators.length;

/** The i-th mutation: every kind in turn, each with its own random choices. */
export function mutation(i: number, o: Originals, rng: Rng): Mutation {
  return generators[i % generators.length]!(o, rng);
}

function randomBytesFrom(rng: Rng, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => int(rng, 256)));
}
