// CPU time of one sync for a device holding 10 licences of 20 features each: device_licenses over
// loopback HTTP (HMAC-signed), LicenseSignature and the ten per-licence signatures verified, the
// body parsed, decisions made, the state written durably (fsync, rename, fsync the directory).
// The agent runs in this process and syncs back to back; the sandbox, in a child, serves the
// generated licences. process.cpuUsage() around N syncs counts every thread of this process.
// Reference, in the same run: the same response bytes and the same state-file bytes through the
// irreducible work alone: JSON.parse, the same eleven RSA verifications, and the durable write.
// Usage: npm run build && node bench/sync-cpu.mjs [syncs per batch, default 100]
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { licenseBinding } from '../dist/src/adapters/licensespring/license-signature.js';
import { hmacAuthorization } from '../dist/src/adapters/licensespring/request-signing.js';
import {
  SIGNATURE_HEADER,
  verifyResponseSignature,
} from '../dist/src/adapters/licensespring/response-signature.js';
import { STATE_FILE } from '../dist/src/adapters/state-store/state-store.js';
import { startBenchAgent } from './in-process-agent.mjs';
import { isMain, launch, median, stop, until } from './processes.mjs';

export const SHAPE = { licenses: 10, featuresPerLicense: 20 };
const HARDWARE_ID = 'cpu-device';

/** CPU ms (user + system, all threads of this process) per call of `work`, over `n` calls. */
async function cpuPerCall(n, work) {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / n;
}

/** The irreducible work of one sync on the same bytes: parse, verify, durable write. */
function referenceSync({ text, signature, publicKey, stateBytes, dir }) {
  const body = JSON.parse(text);
  if (!verifyResponseSignature(body, signature, publicKey)) throw new Error('bad LicenseSignature');
  if (licenseBinding(body, HARDWARE_ID, publicKey) !== 'bound') throw new Error('not bound');
  const temporary = join(dir, `${STATE_FILE}.tmp`);
  const fd = openSync(temporary, 'w', 0o600);
  writeSync(fd, stateBytes);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, join(dir, STATE_FILE));
  const directory = openSync(dir, 'r');
  fsyncSync(directory);
  closeSync(directory);
}

/**
 * `batches` batches of `syncs` syncs of the agent, then as many reference syncs: CPU ms per sync,
 * per batch; and what one sync moved (licences, features, response and state-file bytes).
 */
export async function measureSyncCpu({ syncs = 100, batches = 3, warmup = 20 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ela-bench-sync-cpu-'));
  const sandbox = launch([new URL('./generated-sandbox-server.mjs', import.meta.url).pathname], {
    LICENSES: String(SHAPE.licenses),
    FEATURES: String(SHAPE.featuresPerLicense),
  });
  let agent;
  try {
    let upstream;
    await until(
      () => (upstream = JSON.parse(/^\{.*\}$/m.exec(sandbox.output())?.[0] ?? 'null')) !== null,
      () => `the generated sandbox:\n${sandbox.output()}`,
      { child: sandbox.child },
    );
    const stateDirectory = join(dir, 'state');
    const logged = { lines: 0, last: '' };
    agent = await startBenchAgent({
      hardwareId: HARDWARE_ID,
      stateDirectory,
      baseUrl: upstream.url,
      apiKey: upstream.apiKey,
      sharedKey: upstream.sharedKey,
      publicKeyPem: upstream.publicKeyPem,
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          logged.lines++;
          logged.last = chunk.toString('utf8').trim();
          done();
        },
      }),
      lem: false,
    });
    let failed = 0;
    const sync = async () => {
      const report = await agent.refresh();
      if (report.result !== 'ok' || report.deviceLicenses.kind !== 'genuine') failed++;
    };
    for (let i = 0; i < warmup; i++) await sync();
    const decisions = await (await fetch(`${agent.url}/v1/features`)).json();
    const agentRuns = [];
    for (let b = 0; b < batches; b++) agentRuns.push(await cpuPerCall(syncs, sync));

    // The same bytes: the answer the agent was given, and the state file it wrote.
    const date = new Date().toUTCString();
    const url = new URL('device_licenses', upstream.url);
    url.searchParams.set('hardware_id', HARDWARE_ID);
    const response = await fetch(url, {
      headers: {
        date,
        authorization: hmacAuthorization(upstream.apiKey, upstream.sharedKey, date),
      },
    });
    const text = await response.text();
    const input = {
      text,
      signature: response.headers.get(SIGNATURE_HEADER) ?? '',
      publicKey: createPublicKey(upstream.publicKeyPem),
      stateBytes: readFileSync(join(stateDirectory, STATE_FILE)),
      dir: mkdtempSync(join(dir, 'reference-')),
    };
    for (let i = 0; i < warmup; i++) referenceSync(input);
    const referenceRuns = [];
    for (let b = 0; b < batches; b++)
      referenceRuns.push(await cpuPerCall(syncs, () => referenceSync(input)));
    return {
      syncs,
      batches,
      agentRuns,
      referenceRuns,
      failed,
      logged,
      features: decisions.features.length,
      licenses: JSON.parse(text).length,
      responseBytes: Buffer.byteLength(text),
      stateBytes: input.stateBytes.length,
    };
  } finally {
    await agent?.stop();
    await stop(sandbox.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const r = await measureSyncCpu({ syncs: Number(process.argv[2] ?? 100) });
  const ms = (xs) => xs.map((x) => x.toFixed(2)).join(' / ');
  console.log(
    `one sync: ${r.licenses} licences, ${r.features} features; response ${r.responseBytes} B, state file ${r.stateBytes} B; ${r.batches} batches of ${r.syncs}; failed syncs: ${r.failed}, log lines at warn+: ${r.logged.lines}${r.logged.lines > 0 ? ` (last: ${r.logged.last})` : ''}`,
  );
  console.log(
    `  agent      CPU ms per sync: ${ms(r.agentRuns)} (median ${median(r.agentRuns).toFixed(2)})`,
  );
  console.log(
    `  reference  CPU ms per sync: ${ms(r.referenceRuns)} (median ${median(r.referenceRuns).toFixed(2)})`,
  );
  console.log(
    `  agent / reference: ${(median(r.agentRuns) / median(r.referenceRuns)).toFixed(2)}x`,
  );
}
