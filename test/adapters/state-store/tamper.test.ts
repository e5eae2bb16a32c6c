import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import type { StateLoad } from '../../../src/agent/state-ports.js';
import type { Originals } from './mutations.js';
import { generatorCount, mutation } from './mutations.js';
import { seededRng } from './seeded-rng.js';
import { HARDWARE_ID, OTHER_HARDWARE_ID, sampleState } from './sample-state.js';
import { tempDirs } from '../../temp-dirs.js';

const RUNS = 1_000;
// Fixed so CI replays the same mutations; set ELA_TAMPER_SEED to explore others.
const SEED = Number(process.env.ELA_TAMPER_SEED ?? 20_260_101);

const tempDir = tempDirs('ela-tamper-', 'all');

async function savedDir(state = sampleState()): Promise<string> {
  const dir = await tempDir();
  await createStateStore({ directory: dir }).save(state);
  return dir;
}

let dir: string;
let originals: Originals;

beforeAll(async () => {
  dir = await savedDir();
  const foreign = await savedDir(sampleState(OTHER_HARDWARE_ID));
  const otherSecret = await savedDir();
  const file = await readFile(join(dir, 'state.json'));
  await createStateStore({ directory: dir }).save(sampleState());
  originals = {
    file,
    key: await readFile(join(dir, 'device.key')),
    resaved: await readFile(join(dir, 'state.json')),
    foreignFile: await readFile(join(foreign, 'state.json')),
    foreignKey: await readFile(join(foreign, 'device.key')),
    otherSecretFile: await readFile(join(otherSecret, 'state.json')),
  };
});

describe('the state store under tampering', () => {
  it(`trusts none of ${RUNS} mutations of a saved state (seed ${SEED})`, async () => {
    const store = createStateStore({ directory: dir });
    const rng = seededRng(SEED);
    const outcomes = new Map<string, number>();
    const violations: string[] = [];

    for (let i = 0; i < RUNS; i++) {
      const m = mutation(i, originals, rng);
      await writeFile(join(dir, 'state.json'), m.file);
      if (m.key === 'delete') await rm(join(dir, 'device.key'));
      else await writeFile(join(dir, 'device.key'), m.key === 'keep' ? originals.key : m.key);

      let loaded: StateLoad;
      try {
        loaded = await store.load(HARDWARE_ID);
      } catch (error) {
        violations.push(`#${i} ${m.name}: load threw ${String(error)}`);
        continue;
      }
      const outcome = loaded.kind === 'refused' ? loaded.reason : loaded.kind;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (loaded.kind !== 'loaded') continue;
      // Loading is allowed only when the mutation changed nothing the agent reads.
      if (m.changesContent) violations.push(`#${i} ${m.name}: loaded`);
      try {
        expect(loaded.state).toEqual(sampleState());
      } catch {
        violations.push(`#${i} ${m.name}: loaded a different state`);
      }
    }

    expect(violations).toEqual([]);
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    // Every kind of refusal the store makes was reached, so the run exercised each check.
    expect([...outcomes.keys()].sort()).toEqual(
      expect.arrayContaining(['corrupt', 'foreign', 'tampered', 'unsupported_version']),
    );
    expect(RUNS).toBeGreaterThanOrEqual(generatorCount * 10);
    if (process.env.ELA_TAMPER_VERBOSE !== undefined) console.info(Object.fromEntries(outcomes));
  });
});
