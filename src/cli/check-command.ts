import { askAgent } from './ask-agent.js';
import type { CONNECTION_OPTIONS, JSON_OPTION, Values } from './command.js';
import { EXIT } from './exit-codes.js';
import { println, type CliIo } from './io.js';

export type CheckValues = Values<typeof CONNECTION_OPTIONS & typeof JSON_OPTION>;

/** `check <feature>`: for shell scripts. Exit 0 allowed, 1 denied, 2 when no answer could be had. */
export async function checkCommand(
  feature: string,
  values: CheckValues,
  io: CliIo,
): Promise<number> {
  return askAgent(values, io, async (client) => {
    const f = await client.feature(feature);
    if (values.json === true) println(io.stdout, JSON.stringify(f));
    else {
      const until = f.expiresAt === null ? '' : `, until ${f.expiresAt}`;
      const policy = f.policy === undefined ? '' : `, ${f.policy}`;
      println(
        io.stdout,
        `${f.code}: ${f.allowed ? 'allowed' : 'denied'} (${f.state}, ${f.reason}${until}${policy})`,
      );
    }
    return f.allowed ? EXIT.ok : EXIT.no;
  });
}
