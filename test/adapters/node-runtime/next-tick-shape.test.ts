import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { agentUrl, CLI, getJson, outputMatch, waitReady } from '../../e2e/cli-process.js';
import { tempDirs } from '../../temp-dirs.js';

const PROBE = fileURLToPath(new URL('fixtures/idle-gc-probe.mjs', import.meta.url));
const HOLD = fileURLToPath(
  new URL('../../../dist/src/adapters/node-runtime/next-tick-shape.js', import.meta.url),
);

const tempDir = tempDirs('ela-next-tick-');
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

interface Probed {
  readonly child: ChildProcess;
  /** Everything the process wrote so far. */
  readonly output: () => string;
  /**
   * Has the process idle through full GCs, then returns the state of each computed key of
   * nextTick's tick entry, from nextTick's feedback.
   */
  readonly tickKeysAfterIdleGc: () => Promise<string[]>;
}

/**
 * `node args…` with the probe loaded. Its output goes to a file, not a pipe: %DebugPrint writes
 * more than a pipe holds, and a process whose stdout is a non-blocking pipe cannot wait for room.
 */
async function probed(args: readonly string[]): Promise<Probed> {
  const file = join(await tempDir(), 'output.txt');
  const fd = openSync(file, 'w');
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--allow-natives-syntax', '--import', PROBE, ...args],
    { stdio: ['ignore', fd, fd] },
  );
  running.push(child);
  // The child has its own copy of the descriptor.
  closeSync(fd);
  const output = () => readFileSync(file, 'utf8');
  // SIGUSR2 before the probe handles it would end the process.
  await outputMatch(child, output, /idle-gc-probe: ready/);
  return {
    child,
    output,
    tickKeysAfterIdleGc: async () => {
      child.kill('SIGUSR2');
      await outputMatch(child, output, /idle-gc-probe: done/);
      return [...output().matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map(
        (match) => match[1] ?? '',
      );
    },
  };
}

/** A Node process running the ES module `source`, and staying up. */
const probedModule = (source: string) =>
  probed(['--input-type=module', '-e', `${source}\nsetInterval(() => {}, 1_000);`]);

const SOME_TICKS = 'for (let i = 0; i < 1_000; i++) process.nextTick(() => {});';
const ALL_MONOMORPHIC = ['MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC'];

describe("process.nextTick's tick entries after the process has idled", () => {
  it('lose their shape to full GCs in a process that holds none: the hazard holdNextTickShape guards against', async () => {
    // If this fails after a Node upgrade, V8 or Node no longer drops the shape, and the hold in
    // src/adapters/node-runtime/next-tick-shape.ts may have become unnecessary.
    const node = await probedModule(SOME_TICKS);
    const keys = await node.tickKeysAfterIdleGc();
    expect(keys).toHaveLength(4);
    expect(keys.slice(1)).toEqual(['MEGAMORPHIC', 'MEGAMORPHIC', 'MEGAMORPHIC']);
  });

  it('keep their shape in a process that called holdNextTickShape', async () => {
    const node = await probedModule(
      `import { holdNextTickShape } from ${JSON.stringify(HOLD)};\nholdNextTickShape();\n${SOME_TICKS}`,
    );
    expect(await node.tickKeysAfterIdleGc()).toEqual(ALL_MONOMORPHIC);
  });

  it('keep their shape in an agent that has answered requests and then idled through full GCs', async () => {
    const dir = await tempDir();
    const config = join(dir, 'agent.yaml');
    writeFileSync(
      config,
      [
        'device: { hardwareId: idle-probe-device }',
        `stateDirectory: ${join(dir, 'state')}`,
        'licensespring: { baseUrl: sandbox }',
        'http: { port: 0 }',
      ].join('\n'),
    );
    const agent = await probed([CLI, 'run', '--config', config]);
    const base = await agentUrl(agent.child, agent.output);
    await waitReady(base);
    for (let i = 0; i < 50; i++)
      expect((await getJson(`${base}/v1/features/reporting`)).status).toBe(200);

    expect(await agent.tickKeysAfterIdleGc()).toEqual(ALL_MONOMORPHIC);
    // Still answering, now on the shapes it kept.
    expect((await getJson(`${base}/v1/features/reporting`)).body.allowed).toBe(true);
  });
});
