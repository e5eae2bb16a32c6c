// `fleet licenses --json` streaming 100,000 licences from a loopback Management API (the sandbox's
// imitation, in this process), beside the same run stopped at 1,000 (--limit), in the built CLI
// as a user runs it. Reports licences per second and each run's peak RSS (the CLI process's own
// maxRSS, reported at its exit); the bar is the 100,000 run's peak within 20% of the 1,000 run's.
// Usage: npm run bench:fleet [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../dist/src/adapters/sandbox/sandbox-server.js';

const runs = Number(process.argv[2] ?? 3);
const TOTAL = 100_000;
// The sandbox device's own three licences come first; the rest are generated.
const sandbox = await startSandbox({ management: { generatedLicenses: TOTAL - 3 } });

const dir = mkdtempSync(join(tmpdir(), 'ela-bench-fleet-'));
writeFileSync(join(dir, 'key'), sandbox.credentials.managementApiKey);
const config = join(dir, 'agent.yaml');
writeFileSync(
  config,
  [
    `stateDirectory: ${join(dir, 'state')}`,
    'licensespring:',
    '  baseUrl: sandbox',
    '  insecure: { allowPlainHttp: true }',
    '  management:',
    `    baseUrl: ${sandbox.managementUrl}`,
    '    apiKey: { file: key }',
  ].join('\n'),
);

// Peak RSS as the kernel counts it for the process (getrusage ru_maxrss, KiB), at its exit.
const REPORT_PEAK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss "+process.resourceUsage().maxRSS+"\\n"))';

function list(limit) {
  const args = ['--import', REPORT_PEAK, 'dist/bin/main.js', 'fleet', 'licenses'];
  args.push('--config', config, '--json', ...(limit === null ? [] : ['--limit', String(limit)]));
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let err = '';
  // Counted as they arrive, never kept: the reader must not be what holds memory.
  child.stdout.on('data', (chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const peak = /maxrss (\d+)/.exec(err)?.[1];
      if (code !== 0 || peak === undefined) reject(new Error(`exit ${code}: ${err}`));
      else resolve({ lines, seconds, peakMiB: Number(peak) / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const small = [];
const large = [];
for (let i = 0; i < runs; i++) {
  small.push(await list(1_000));
  large.push(await list(null));
}
await sandbox.close();

for (const [name, results, expected] of [
  ['1,000 licences (--limit 1000)', small, 1_000],
  ['100,000 licences', large, TOTAL],
]) {
  if (results.some((r) => r.lines !== expected)) throw new Error(`${name}: wrong line count`);
  const seconds = median(results.map((r) => r.seconds));
  console.log(
    `${name.padEnd(32)} median ${seconds.toFixed(2)} s, ${Math.round(expected / seconds)} licences/s, peak RSS median ${median(results.map((r) => r.peakMiB)).toFixed(1)} MiB (runs: ${results.map((r) => r.peakMiB.toFixed(1)).join(', ')})`,
  );
}
const ratio = median(large.map((r) => r.peakMiB)) / median(small.map((r) => r.peakMiB));
console.log(
  `peak RSS 100,000 / 1,000: ${ratio.toFixed(2)} (bar: at most 1.20) ${ratio <= 1.2 ? 'PASS' : 'FAIL'}`,
);
