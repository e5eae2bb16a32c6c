import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import type { SavedState } from '../../../src/agent/state-ports.js';
import { HARDWARE_ID, sampleState } from './sample-state.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-older-state-');

describe('a state saved before the agent kept its boot and monotonic reading', () => {
  it('still loads: the saved instant becomes a floor, and no correction was counted', async () => {
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    const { bootId: _bootId, ...current } = sampleState();
    const { highestMonotonic: _monotonic, timeCorrections: _corrections, ...trust } = current.trust;
    // As an agent before these fields wrote it: the store seals whatever it is given.
    await store.save({ ...current, trust } as unknown as SavedState);

    const loaded = await store.load(HARDWARE_ID);
    expect(loaded).toEqual({
      kind: 'loaded',
      state: {
        ...sampleState(),
        bootId: null,
        trust: { ...sampleState().trust, highestMonotonic: null, timeCorrections: 0 },
      },
    });
  });
});
