import { AgentClientError } from '../client/client-error.js';
import { askAgent } from './ask-agent.js';
import type { CONNECTION_OPTIONS, JSON_OPTION, Values } from './command.js';
import { EXIT } from './exit-codes.js';
import { complain, println, type CliIo } from './io.js';

export type RefreshValues = Values<typeof CONNECTION_OPTIONS & typeof JSON_OPTION>;

/**
 * `refresh`: sync now and wait for the result. Exit 0 when the sync was ok, 1 when it finished
 * partial or failed (the agent keeps answering from what it had), 2 when the agent could not be
 * asked, or turned the refresh away because it synced moments ago.
 */
export async function refreshCommand(values: RefreshValues, io: CliIo): Promise<number> {
  return askAgent(values, io, async (client, { target }) => {
    let report;
    try {
      report = await client.refresh();
    } catch (error) {
      if (!(error instanceof AgentClientError) || error.agentCode !== 'rate_limited') throw error;
      const wait = error.retryAfterSeconds === null ? 'a few' : String(error.retryAfterSeconds);
      complain(
        io,
        `the agent at ${target} refused the refresh (HTTP 429 rate_limited): it synced moments ago; try again in ${wait} s`,
      );
      return EXIT.error;
    }
    if (values.json === true) println(io.stdout, JSON.stringify(report));
    else {
      println(
        io.stdout,
        `sync ${report.result} at ${report.finishedAt} (device_licenses: ${report.deviceLicenses})`,
      );
    }
    return report.result === 'ok' ? EXIT.ok : EXIT.no;
  });
}
