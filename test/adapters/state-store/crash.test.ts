import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import { HARDWARE_ID, sampleState } from './sample-state.js';
import { seededRng } from './seeded-rng.js';
import { tempDirs } from '../../temp-dirs.js';

const KILLS = 100;
const SEED = Number(process.env.ELA_CRASH_SEED ?? 7_311);
const fixture = fileURLToPath(new URL('fixtures/save-loop.mjs', import.meta.url));
const built = fileURLToPath(
  new URL('../../../dist/src/adapters/state-store/state-store.js', import.meta.url),
);

const tempDir = tempDirs('ela-crash-', 'all');

interface Run {
  readonly acks: readonly number[];
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Starts the save loop and SIGKILLs it `delayMs` after it reports that it is writing. */
function saveUntilKilled(directory: string, first: number, delayMs: number): Promise<Run> {
  const child = spawn(process.execPath, [fixture, directory, HARDWARE_ID, String(first)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (timer === undefined && stdout.includes('writing\n')) {
      timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      const acks = stdout
        .split('\n')
        .filter((line) => line.startsWith('ack '))
        .map((line) => Number(line.slice(4)));
      resolve({ acks, signal, stderr });
    });
  });
}

describe('the state store when the agent is killed mid-write', () => {
  it(`loads the old or the new state after each of ${KILLS} SIGKILLs, never neither (seed ${SEED})`, async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
    const directory = await tempDir();
    const store = createStateStore({ directory });
    const rng = seededRng(SEED);
    // The highest counter known to be on disk: acknowledged, or loaded after a kill.
    let known = 0;
    let caughtAfterRename = 0;
    let tempFilesLeft = 0;

    for (let kill = 0; kill < KILLS; kill++) {
      const run = await saveUntilKilled(directory, known + 1, 5 + rng() * 55);
      expect(run.stderr).toBe('');
      expect(run.signal).toBe('SIGKILL');
      known = Math.max(known, ...run.acks);

      const loaded = await store.load(HARDWARE_ID);
      if (loaded.kind === 'absent') {
        // Only before the first save ever completed.
        expect(known).toBe(0);
        continue;
      }
      expect(loaded).toMatchObject({ kind: 'loaded' });
      const counter = loaded.kind === 'loaded' ? loaded.state.savedAt : Number.NaN;
      // The last acknowledged save, or the one in flight if its rename landed before the kill.
      expect([known, known + 1]).toContain(counter);
      if (counter === known + 1) caughtAfterRename++;
      known = counter;
      if ((await readdir(directory)).some((name) => name.endsWith('.tmp'))) tempFilesLeft++;
    }

    // The store's next save sweeps the temp files killed writers left behind.
    await store.save(sampleState());
    expect((await readdir(directory)).sort()).toEqual(['device.key', 'state.json']);
    expect(known).toBeGreaterThan(KILLS);
    if (process.env.ELA_CRASH_VERBOSE !== undefined) {
      console.info({ saves: known, caughtAfterRename, tempFilesLeft });
    }
  }, 110_000);
});
