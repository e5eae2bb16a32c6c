import { statSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealEnvelope } from '../../../src/adapters/state-store/envelope.js';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import { StateStoreError } from '../../../src/adapters/state-store/state-store-error.js';
import type { SavedState, StateLoad, StateLoadFailure } from '../../../src/agent/state-ports.js';
import {
  HARDWARE_ID,
  OTHER_HARDWARE_ID,
  deviceLicensesBody,
  featureCheckBody,
  sampleState,
} from './sample-state.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-state-');

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/** A directory holding the sample state, saved by the store. */
async function savedDir(): Promise<string> {
  const dir = await tempDir();
  await createStateStore({ directory: dir }).save(sampleState());
  return dir;
}

/** Base64 of the same bytes with the byte at `at` flipped: a valid frame, an edited content. */
function flippedBase64(text: string, at: number): string {
  const bytes = Buffer.from(text, 'base64');
  bytes[at] = bytes[at]! ^ 0xff;
  return bytes.toString('base64');
}

async function editEnvelope(dir: string, edit: (envelope: any) => void): Promise<void> {
  const path = join(dir, 'state.json');
  const envelope = JSON.parse(await readFile(path, 'utf8'));
  edit(envelope);
  await writeFile(path, JSON.stringify(envelope, null, 2));
}

describe('createStateStore: saving and loading', () => {
  it('loads the state it saved, evidence bodies byte for byte', async () => {
    const store = createStateStore({ directory: await tempDir() });
    await store.save(sampleState());
    const loaded = await store.load(HARDWARE_ID);
    expect(loaded).toEqual({ kind: 'loaded', state: sampleState() });
    const state = (loaded as Extract<StateLoad, { kind: 'loaded' }>).state;
    const bodies = [state.deviceLicenses, state.featureChecks[0]!.answer].map((answer) =>
      answer?.kind === 'genuine' ? Buffer.from(answer.evidence.body, 'utf8') : null,
    );
    expect(bodies).toEqual([
      Buffer.from(deviceLicensesBody, 'utf8'),
      Buffer.from(featureCheckBody, 'utf8'),
    ]);
  });

  it('answers absent once the file is deleted behind its back, not what it last saved', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    await store.save(sampleState());
    expect(await store.load(HARDWARE_ID)).toMatchObject({ kind: 'loaded' });
    await rm(join(dir, 'state.json'));
    expect(await store.load(HARDWARE_ID)).toEqual({ kind: 'absent' });
    await store.save(sampleState());
    await rm(join(dir, 'state.json'));
    expect(await store.load(HARDWARE_ID)).toEqual({ kind: 'absent' });
  });

  it('loads what is on disk, not what it last saved, when another writer replaced the file', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    await store.save({ ...sampleState(), savedAt: 1 });
    await createStateStore({ directory: dir }).save({ ...sampleState(), savedAt: 2 });
    expect(await store.load(HARDWARE_ID)).toMatchObject({ kind: 'loaded', state: { savedAt: 2 } });
  });

  it('seals every save with a fresh nonce, so equal states never give equal files', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await store.save(sampleState());
      const { nonce, ciphertext } = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
      seen.add(nonce).add(ciphertext);
    }
    expect(seen.size).toBe(10);
  });

  it('writes state.json and device.key readable by their owner only', async () => {
    const dir = await savedDir();
    expect(modeOf(join(dir, 'state.json'))).toBe(0o600);
    expect(modeOf(join(dir, 'device.key'))).toBe(0o600);
  });

  it('makes a 32-byte device key on the first save and keeps it for later saves', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    await store.save(sampleState());
    const key = await readFile(join(dir, 'device.key'));
    expect(key).toHaveLength(32);
    await store.save({ ...sampleState(), savedAt: 1 });
    await createStateStore({ directory: dir }).save({ ...sampleState(), savedAt: 2 });
    expect(await readFile(join(dir, 'device.key'))).toEqual(key);
  });

  it('creates a missing state directory, mode 0700', async () => {
    const dir = join(await tempDir(), 'var', 'lib', 'edge-license-agent');
    await createStateStore({ directory: dir }).save(sampleState());
    expect(modeOf(dir)).toBe(0o700);
  });

  it('leaves no temp file behind', async () => {
    const dir = await savedDir();
    expect((await readdir(dir)).sort()).toEqual(['device.key', 'state.json']);
  });

  it('keeps the state of the last call when saves overlap', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    const saves = Array.from({ length: 20 }, (_, i) =>
      store.save({ ...sampleState(), savedAt: i }),
    );
    await Promise.all(saves);
    expect(await store.load(HARDWARE_ID)).toMatchObject({ kind: 'loaded', state: { savedAt: 19 } });
    expect((await readdir(dir)).sort()).toEqual(['device.key', 'state.json']);
  });

  it('refuses to save a state that could not be loaded again, and writes nothing', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    const broken: SavedState = { ...sampleState(), savedAt: Number.NaN };
    await expect(store.save(broken)).rejects.toSatisfy(
      (error: unknown) => error instanceof StateStoreError && error.code === 'invalid_state',
    );
    expect(await store.load(HARDWARE_ID)).toEqual({ kind: 'absent' });
  });

  it('goes on saving after a save failed', async () => {
    const store = createStateStore({ directory: await tempDir() });
    const failed = store.save({ ...sampleState(), savedAt: Number.NaN });
    const next = store.save({ ...sampleState(), savedAt: 5 });
    await expect(failed).rejects.toThrow(StateStoreError);
    await next;
    expect(await store.load(HARDWARE_ID)).toMatchObject({ kind: 'loaded', state: { savedAt: 5 } });
  });

  it('ignores temp files a killed writer left behind, and removes them on its first save', async () => {
    const dir = await savedDir();
    await writeFile(join(dir, '.state.json.0a1b2c3d4e5f.tmp'), '{"half":');
    await writeFile(join(dir, '.device.key.0a1b2c3d4e5f.tmp'), 'x');
    await writeFile(join(dir, 'identity.json'), '{}');
    const store = createStateStore({ directory: dir });
    expect(await store.load(HARDWARE_ID)).toEqual({ kind: 'loaded', state: sampleState() });
    await store.save(sampleState());
    expect((await readdir(dir)).sort()).toEqual(['device.key', 'identity.json', 'state.json']);
  });

  it('loads a file whose layout changed but whose fields did not: only their values are sealed', async () => {
    const dir = await savedDir();
    const path = join(dir, 'state.json');
    const envelope = JSON.parse(await readFile(path, 'utf8'));
    // Keys reversed, no indentation.
    await writeFile(path, JSON.stringify(Object.fromEntries(Object.entries(envelope).reverse())));
    expect(await createStateStore({ directory: dir }).load(HARDWARE_ID)).toEqual({
      kind: 'loaded',
      state: sampleState(),
    });
  });

  it('replaces a malformed device key on the next save, and loads again after it', async () => {
    const dir = await savedDir();
    await writeFile(join(dir, 'device.key'), 'short');
    const store = createStateStore({ directory: dir });
    expect(await store.load(HARDWARE_ID)).toMatchObject({ kind: 'refused', reason: 'tampered' });
    await store.save(sampleState());
    expect(await readFile(join(dir, 'device.key'))).toHaveLength(32);
    expect(await store.load(HARDWARE_ID)).toEqual({ kind: 'loaded', state: sampleState() });
  });
});

describe('createStateStore: what it refuses', () => {
  type Case = [
    situation: string,
    arrange: (dir: string) => Promise<void>,
    expected: 'absent' | StateLoadFailure,
    detail: RegExp,
  ];
  const cases: Case[] = [
    ['nothing saved yet', () => Promise.resolve(), 'absent', /.*/],
    [
      'a file that is not JSON',
      (dir) => writeFile(join(dir, 'state.json'), 'state: ok\n'),
      'corrupt',
      /not UTF-8 JSON/,
    ],
    [
      'a truncated file',
      async (dir) => {
        const bytes = await readFile(join(dir, 'state.json'));
        await writeFile(join(dir, 'state.json'), bytes.subarray(0, bytes.length / 2));
      },
      'corrupt',
      /not UTF-8 JSON/,
    ],
    ['an empty file', (dir) => writeFile(join(dir, 'state.json'), ''), 'corrupt', /empty file/],
    [
      'a file far larger than any state, planted to exhaust memory',
      (dir) => truncate(join(dir, 'state.json'), 64 * 1024 * 1024),
      'unreadable',
      /EFBIG/,
    ],
    [
      'a file that is not valid UTF-8',
      (dir) => writeFile(join(dir, 'state.json'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])),
      'corrupt',
      /not UTF-8 JSON/,
    ],
    [
      'JSON that is not a state file',
      (dir) => writeFile(join(dir, 'state.json'), '[1, 2, 3]'),
      'corrupt',
      /not a state file/,
    ],
    [
      'a file from a newer agent',
      (dir) => editEnvelope(dir, (e) => (e.version = 3)),
      'unsupported_version',
      /^version 3, expected 2$/,
    ],
    [
      'a file from a version too long to log',
      (dir) => editEnvelope(dir, (e) => (e.version = 'v'.repeat(10_000) as unknown as number)),
      'unsupported_version',
      /^version "v{76}\.\.\., expected 2$/,
    ],
    [
      'an envelope with a key added',
      (dir) => editEnvelope(dir, (e) => (e.trusted = true)),
      'corrupt',
      /envelope keys/,
    ],
    [
      "another device's file",
      async (dir) => {
        await createStateStore({ directory: dir }).save(sampleState(OTHER_HARDWARE_ID));
      },
      'foreign',
      new RegExp(`saved for hardware ID ${OTHER_HARDWARE_ID}, not ${HARDWARE_ID}`),
    ],
    [
      'a state whose device key is missing',
      (dir) => rm(join(dir, 'device.key')),
      'tampered',
      /device\.key is missing/,
    ],
    [
      'a state whose device key was replaced by another key',
      (dir) => writeFile(join(dir, 'device.key'), Buffer.alloc(32, 7)),
      'tampered',
      /does not decrypt with the device key/,
    ],
    [
      'a device key of the wrong length',
      (dir) => writeFile(join(dir, 'device.key'), Buffer.alloc(31, 7)),
      'tampered',
      /31 bytes, not 32/,
    ],
    [
      'a flipped byte in the ciphertext',
      (dir) => editEnvelope(dir, (e) => (e.ciphertext = flippedBase64(e.ciphertext, 100))),
      'tampered',
      /does not decrypt with the device key/,
    ],
    [
      'a flipped byte in the tag',
      (dir) => editEnvelope(dir, (e) => (e.tag = flippedBase64(e.tag, 15))),
      'tampered',
      /does not decrypt with the device key/,
    ],
    [
      'a flipped byte in the nonce',
      (dir) => editEnvelope(dir, (e) => (e.nonce = flippedBase64(e.nonce, 0))),
      'tampered',
      /does not decrypt with the device key/,
    ],
    [
      'a hardware ID with one character changed, which names another device',
      (dir) => editEnvelope(dir, (e) => (e.hardwareId = `${HARDWARE_ID.slice(0, -1)}6`)),
      'foreign',
      /^saved for hardware ID e278-db06-734a-4019-6a25-e5d5-9859-7136, not /,
    ],
    [
      "another device's file relabelled with this hardware ID, its key copied along",
      async (dir) => {
        await createStateStore({ directory: dir }).save(sampleState(OTHER_HARDWARE_ID));
        await editEnvelope(dir, (e) => (e.hardwareId = HARDWARE_ID));
      },
      'tampered',
      /does not decrypt with the device key/,
    ],
    [
      'a file sealed for this hardware ID with another device secret',
      async (dir) => {
        const elsewhere = await savedDir();
        await writeFile(join(dir, 'state.json'), await readFile(join(elsewhere, 'state.json')));
      },
      'tampered',
      /does not decrypt with the device key/,
    ],
    [
      'a version 1 file whose MAC this device did not make',
      (dir) =>
        writeFile(
          join(dir, 'state.json'),
          JSON.stringify({
            format: 'edge-license-agent/state',
            version: 1,
            hardwareId: HARDWARE_ID,
            state: sampleState(),
            mac: '0'.repeat(64),
          }),
        ),
      'tampered',
      /^version 1 file: its MAC does not match the device key$/,
    ],
    [
      'a tag cut to 12 bytes, which GCM would otherwise accept',
      (dir) =>
        editEnvelope(
          dir,
          (e) => (e.tag = Buffer.from(e.tag, 'base64').subarray(0, 12).toString('base64')),
        ),
      'corrupt',
      /tag is not 16 bytes of base64/,
    ],
    [
      'a nonce in base64 that is not canonical',
      (dir) => editEnvelope(dir, (e) => (e.nonce = `${e.nonce.slice(0, 8)} ${e.nonce.slice(8)}`)),
      'corrupt',
      /nonce is not 12 bytes of base64/,
    ],
    [
      'a ciphertext that is not base64',
      (dir) => editEnvelope(dir, (e) => (e.ciphertext = `${e.ciphertext}!`)),
      'corrupt',
      /ciphertext is not base64/,
    ],
    [
      'a state.json the agent cannot read',
      async (dir) => {
        await rm(join(dir, 'state.json'));
        // A directory in the file's place fails the read for root too (EISDIR).
        await mkdir(join(dir, 'state.json'));
      },
      'unreadable',
      /state\.json: EISDIR/,
    ],
    [
      'a device key the agent cannot read',
      async (dir) => {
        await rm(join(dir, 'device.key'));
        await mkdir(join(dir, 'device.key'));
      },
      'unreadable',
      /device\.key: EISDIR/,
    ],
    [
      'a well-sealed state of the wrong shape',
      async (dir) => {
        const key = await readFile(join(dir, 'device.key'));
        const wrong = { ...sampleState(), savedAt: 'yesterday' } as unknown as SavedState;
        await writeFile(join(dir, 'state.json'), sealEnvelope(wrong, key));
      },
      'corrupt',
      /^state: savedAt: /,
    ],
  ];

  it.each(cases)('refuses %s', async (_, arrange, expected, detail) => {
    const dir = expected === 'absent' ? await tempDir() : await savedDir();
    const key = await readFile(join(dir, 'device.key')).catch(() => Buffer.alloc(0));
    await arrange(dir);
    const loaded = await createStateStore({ directory: dir }).load(HARDWARE_ID);
    if (expected === 'absent') {
      expect(loaded).toEqual({ kind: 'absent' });
      return;
    }
    expect(loaded).toMatchObject({ kind: 'refused', reason: expected, detail });
    // The detail goes to logs: it never carries the secret.
    const text = JSON.stringify(loaded);
    expect(key.length === 0 || !text.includes(key.toString('hex'))).toBe(true);
  });

  it('keeps state.json mode 0600 when it replaces a file that was more open', async () => {
    const dir = await savedDir();
    await writeFile(join(dir, 'state.json'), '{}', { mode: 0o644 });
    await createStateStore({ directory: dir }).save(sampleState());
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
  });
});
