import type { LemListingName, LemListingValues } from '../commands/lem.js';
import { EXIT } from '../exit-codes.js';
import { complain, println, type CliIo } from '../io.js';
import { lemFailure } from './lem-failure.js';
import { LISTINGS } from './lem-listings.js';
import { withLem, type LemSessionOptions } from './lem-session.js';

/** `lem stats|skus|used|features|license-features`: one LEM read, as a table, JSON or CSV. */
export async function lemListingCommand(
  name: LemListingName,
  values: LemListingValues,
  io: CliIo,
  session: Omit<LemSessionOptions, 'config'> = {},
): Promise<number> {
  if (values.json === true && values.csv === true) {
    complain(io, `lem ${name}: --json and --csv exclude each other`);
    return EXIT.usage;
  }
  return withLem({ ...session, config: values.config }, io, async (lem, signal) => {
    const outcome = await LISTINGS[name](lem.api, signal);
    if (outcome.kind !== 'ok') {
      const failure = lemFailure(outcome);
      complain(io, `lem ${name}: ${failure.message}`);
      return failure.exit;
    }
    const answer = outcome.value;
    if (values.json === true) println(io.stdout, JSON.stringify(answer.json, null, 2));
    else if (values.csv === true) io.stdout.write(answer.csv);
    else println(io.stdout, answer.table);
    return EXIT.ok;
  });
}
