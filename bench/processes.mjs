// Child processes for the benchmarks: each server runs in its own process, so that the load or
// the clock of the bench never shares an event loop with what it measures.
import { spawn } from 'node:child_process';

/** `cpus`: a taskset CPU list the process and all its threads are held to, from the start. */
export function launch(args, env = {}, { cpus } = {}) {
  const [command, argv] =
    cpus === undefined
      ? [process.execPath, args]
      : ['taskset', ['-c', cpus, process.execPath, ...args]];
  const child = spawn(command, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return { child, output: () => out };
}

export async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
