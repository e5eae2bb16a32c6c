import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchMachine } from '../../src/app/machine.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import type { MachineVerdict } from '../../src/domain/machine-verdict.js';
import { recordingLogger } from '../agent/fakes.js';

const vm: MachineVerdict = {
  kind: 'virtual_machine',
  basis: ['DMI sys_vendor: "QEMU"'],
  overridden: false,
};
const never = () => new Promise<MachineVerdict>(() => undefined);

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function config(machine: ResolvedConfig['machine'] = 'auto') {
  const stateDirectory = await mkdtemp(join(tmpdir(), 'ela-machine-watch-'));
  dirs.push(stateDirectory);
  return { stateDirectory, machine } as ResolvedConfig;
}

describe('the machine verdict across starts', () => {
  it('is unknown on a first start until detection ends, then what it found', async () => {
    const seen: MachineVerdict[] = [];
    const watch = await watchMachine(
      await config(),
      () => Promise.resolve(vm),
      recordingLogger(),
      (v) => seen.push(v),
    );
    expect(watch.current().kind).toBe('unknown');
    await watch.detect();
    expect(watch.current()).toEqual(vm);
    expect(seen).toEqual([vm]);
  });

  it('starts from the verdict the last start saved, before detecting again', async () => {
    const settings = await config();
    const first = await watchMachine(
      settings,
      () => Promise.resolve(vm),
      recordingLogger(),
      () => undefined,
    );
    await first.detect();
    expect(
      JSON.parse(await readFile(join(settings.stateDirectory, 'machine.json'), 'utf8')),
    ).toEqual({
      kind: 'virtual_machine',
      basis: vm.basis,
    });
    const second = await watchMachine(settings, never, recordingLogger(), () => undefined);
    expect(second.current()).toEqual(vm);
  });

  it("takes the config's word and never runs detection", async () => {
    let ran = false;
    const watch = await watchMachine(
      await config('physical'),
      () => {
        ran = true;
        return never();
      },
      recordingLogger(),
      () => undefined,
    );
    await watch.detect();
    expect(watch.current()).toMatchObject({ kind: 'physical', overridden: true });
    expect(ran).toBe(false);
  });
});
