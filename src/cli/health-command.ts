import { askAgent } from './ask-agent.js';
import type { ConnectionValues } from './connection.js';
import { EXIT } from './exit-codes.js';
import { println, type CliIo } from './io.js';

/**
 * `health`: alive is "answers its API", not "holds a licence": an agent waiting for the licence
 * server is healthy, and restarting it would only lose its place in the retry schedule.
 */
export async function healthCommand(values: ConnectionValues, io: CliIo): Promise<number> {
  return askAgent(values, io, async (client) => {
    const status = await client.status();
    println(io.stdout, status.ready ? 'ok: ready' : 'ok: not ready yet');
    return EXIT.ok;
  });
}
