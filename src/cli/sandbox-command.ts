import { writeFile } from 'node:fs/promises';
import { startSandbox } from '../adapters/sandbox/sandbox-server.js';
import type { Values } from './command.js';
import type { SANDBOX_OPTIONS } from './commands/sandbox.js';
import { EXIT } from './exit-codes.js';
import { println, type CliIo } from './io.js';

/** `sandbox`: the local imitation of the License API, for trying the agent or a client out. */
export async function sandboxCommand(
  values: Values<typeof SANDBOX_OPTIONS>,
  io: CliIo,
): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    println(io.stderr, `edge-license-agent: --port: not a port number: ${values.port ?? ''}`);
    return EXIT.usage;
  }
  const sandbox = await startSandbox({ host: values.host ?? '127.0.0.1', port });
  if (values['public-key-out'] !== undefined) {
    await writeFile(values['public-key-out'], sandbox.publicKeyPem, { mode: 0o644 });
  }
  // These are the sandbox's own, published, throw-away credentials: printing them is the point.
  println(io.stdout, `License API   ${sandbox.url}`);
  println(io.stdout, `token URL     ${sandbox.tokenUrl}`);
  println(io.stdout, `API key       ${sandbox.credentials.apiKey}`);
  println(io.stdout, `shared key    ${sandbox.credentials.sharedKey}`);
  println(
    io.stdout,
    `OAuth client  ${sandbox.credentials.clientId} / ${sandbox.credentials.clientSecret}`,
  );
  println(io.stdout, sandbox.publicKeyPem.trim());
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await sandbox.close();
  return EXIT.ok;
}
