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
  /** The same state saved again with our key: same content, another nonce. */
  readonly resaved: Buffer;
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
  version: unknown;
  hardwareId: string;
  nonce: string;
  ciphertext: string;
  tag: string;
  [key: string]: unknown;
}

type SealedField = 'nonce' | 'ciphertext' | 'tag';
const sealedFields: readonly SealedField[] = ['nonce', 'ciphertext', 'tag'];

const parse = (file: Buffer): EnvelopeJson => JSON.parse(file.toString('utf8')) as EnvelopeJson;

/** Edits the parsed envelope and writes it back the way the agent lays it out. */
function edited(file: Buffer, edit: (envelope: EnvelopeJson) => void): Uint8Array {
  const envelope = parse(file);
  edit(envelope);
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`);
}

/** Edits the bytes of one base64 field, keeping it canonical base64: only the bytes change. */
function editedBytes(o: Originals, field: SealedField, edit: (bytes: Buffer) => Buffer) {
  return edited(o.file, (e) => {
    e[field] = edit(Buffer.from(e[field], 'base64')).toString('base64');
  });
}

const mutate = (name: string, file: Uint8Array, changesContent = true): Mutation => ({
  name,
  file,
  key: 'keep',
  changesContent,
});

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const generators: readonly Generator[] = [
  (o, rng) => {
    const bytes = Buffer.from(o.file);
    const at = int(rng, bytes.length);
    bytes[at] = bytes[at]! ^ (1 << int(rng, 8));
    // A flip inside whitespace could leave the same data; the check below then wants it equal.
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
    const field = pick(rng, sealedFields);
    return mutate(
      `flip one bit of the ${field}`,
      editedBytes(o, field, (bytes) => {
        const at = int(rng, bytes.length);
        bytes[at] = bytes[at]! ^ (1 << int(rng, 8));
        return bytes;
      }),
    );
  },
  (o, rng) => {
    // Any other character changes the bytes, or, in the last place, leaves non-canonical base64.
    const field = pick(rng, sealedFields);
    return mutate(
      `change one base64 character of the ${field}`,
      edited(o.file, (e) => {
        const text = e[field].replace(/=+$/, '');
        const at = int(rng, text.length);
        const others = BASE64.replace(text.charAt(at), '');
        e[field] =
          `${text.slice(0, at)}${others.charAt(int(rng, others.length))}${e[field].slice(at + 1)}`;
      }),
    );
  },
  (o, rng) =>
    mutate(
      'cut the end off the ciphertext',
      editedBytes(o, 'ciphertext', (bytes) => bytes.subarray(0, int(rng, bytes.length))),
    ),
  (o, rng) =>
    mutate(
      'append bytes to the ciphertext',
      editedBytes(o, 'ciphertext', (bytes) =>
        Buffer.concat([bytes, randomBytesFrom(rng, 1 + int(rng, 32))]),
      ),
    ),
  (o, rng) =>
    mutate(
      'cut the tag short',
      editedBytes(o, 'tag', (bytes) => bytes.subarray(0, 4 + int(rng, 12))),
    ),
  (o, rng) => {
    // Each part of another genuine save of ours, spliced into this one.
    const field = pick(rng, sealedFields);
    const other = parse(o.resaved);
    return mutate(
      `splice in the ${field} of another save`,
      edited(o.file, (e) => {
        e[field] = other[field];
      }),
    );
  },
  (o, rng) => {
    const where = pick(rng, ['another device', 'one character']);
    return mutate(
      `change the hardware ID (${where})`,
      edited(o.file, (e) => {
        e.hardwareId =
          where === 'another device'
            ? OTHER_HARDWARE_ID
            : e.hardwareId.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      }),
    );
  },
  (o, rng) => ({
    name: "another device's file",
    file: o.foreignFile,
    // Sometimes its key is copied along: it must still not pass for this device.
    key: rng() < 0.5 ? 'keep' : o.foreignKey,
    changesContent: true,
  }),
  (o) => ({
    // Another device's valid file, relabelled with our hardware ID, its key copied along.
    name: "another device's file, relabelled",
    file: edited(o.foreignFile, (e) => {
      e.hardwareId = sampleState().hardwareId;
    }),
    key: o.foreignKey,
    changesContent: true,
  }),
  (o) => mutate('our hardware ID sealed with another secret', o.otherSecretFile),
  (o, rng) => {
    // What an editor without our key can do: edit, then seal with a key of its own.
    const forged: SavedState = {
      ...sampleState(),
      trust: { ...sampleState().trust, lastGenuineAt: 4_102_444_800_000 + int(rng, 1e6) },
    };
    return mutate('edit and re-seal with a guessed key', sealEnvelope(forged, randomBytes(32)));
  },
  (o, rng) => {
    const change = pick(rng, ['bump the version', 'version as text', 'change the format']);
    return mutate(
      change,
      edited(o.file, (e) => {
        if (change === 'bump the version') e.version = 3;
        else if (change === 'version as text') e.version = '2';
        else e.format = 'edge-license-agent/state-v0';
      }),
    );
  },
  (o, rng) => {
    // A version 1 file: the state in clear beside an HMAC this device did not make.
    const state = {
      ...sampleState(),
      trust: { ...sampleState().trust, lastGenuineAt: 4_102_444_800_000 + int(rng, 1e6) },
    };
    const v1 = {
      format: 'edge-license-agent/state',
      version: 1,
      hardwareId: state.hardwareId,
      state,
      mac: randomBytesFrom(rng, 32).toString('hex'),
    };
    return mutate('a clear-text version 1 file', Buffer.from(JSON.stringify(v1, null, 2)));
  },
  (o, rng) => {
    const field = pick(rng, sealedFields);
    return mutate(
      `drop the ${field}`,
      Buffer.from(
        JSON.stringify(
          Object.fromEntries(Object.entries(parse(o.file)).filter(([k]) => k !== field)),
        ),
      ),
    );
  },
  (o) =>
    mutate(
      'add a clear state beside the sealed one',
      edited(o.file, (e) => {
        e['state'] = sampleState();
      }),
    ),
  (o) => ({ name: 'delete the device key', file: o.file, key: 'delete', changesContent: true }),
  (o, rng) => ({
    name: 'replace the device key',
    file: o.file,
    key: rng() < 0.5 ? randomBytesFrom(rng, 32) : randomBytesFrom(rng, 1 + int(rng, 64)),
    changesContent: true,
  }),
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
    // Parsers keep the last of duplicate keys: a copy after the real one wins, one before loses.
    const field = pick(rng, sealedFields);
    const other = parse(o.resaved)[field];
    const text = o.file.toString('utf8');
    const real = `"${field}": "${parse(o.file)[field]}"`;
    const injected =
      rng() < 0.5 ? `${real},\n  "${field}": "${other}"` : `"${field}": "${other}",\n  ${real}`;
    return mutate(`inject a duplicate ${field}`, Buffer.from(text.replace(real, injected)), false);
  },
  (o, rng) => {
    // Same data, other layout: allowed to load, and must then equal the original.
    const envelope = parse(o.file);
    const reordered =
      rng() < 0.5 ? Object.fromEntries(Object.entries(envelope).reverse()) : envelope;
    return mutate('reformat', Buffer.from(JSON.stringify(reordered, null, int(rng, 5))), false);
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
