import { createAgentClient, type AgentClient } from '../client/agent-client.js';
import { AgentClientError } from '../client/client-error.js';
import { failureLine } from './client-failure.js';
import { chooseConnection, type Connection, type ConnectionValues } from './connection.js';
import { EXIT_FOR_CLIENT_ERROR } from './exit-codes.js';
import { complain, type CliIo } from './io.js';

/**
 * Runs `ask` with a client for the running agent, chosen from the connection options. A failure
 * to ask prints one line and ends with the exit code the table gives its error code; `ask` may
 * handle an error first (refresh says more about a 429).
 */
export async function askAgent(
  values: ConnectionValues,
  io: CliIo,
  ask: (client: AgentClient, connection: Connection) => Promise<number>,
): Promise<number> {
  const choice = await chooseConnection(values, io.env);
  if (choice.kind === 'wrong') {
    complain(io, choice.problem);
    return choice.exit;
  }
  const { connection } = choice;
  const client = createAgentClient(connection.client);
  try {
    return await ask(client, connection);
  } catch (error) {
    if (!(error instanceof AgentClientError)) throw error;
    complain(io, failureLine(error, connection));
    return EXIT_FOR_CLIENT_ERROR[error.code];
  } finally {
    await client.close();
  }
}
