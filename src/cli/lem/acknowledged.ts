import type { LemAcknowledgement } from '../../domain/lem.js';
import { EXIT } from '../exit-codes.js';
import { complain, println, type CliIo } from '../io.js';

/**
 * LEM's `{code, message}` after an upload or an e-mailed report: `S` is success, and any other
 * code is printed as LEM gave it, since the document names no other.
 */
export function acknowledged(ack: LemAcknowledgement, done: string, io: CliIo): number {
  const said = ack.message === null ? '' : `: ${ack.message}`;
  if (ack.code === 'S') {
    println(io.stdout, `${done} (LEM acknowledged: ${ack.code}${said})`);
    return EXIT.ok;
  }
  complain(io, `LEM did not acknowledge it: code ${ack.code}${said}`);
  return EXIT.protocol;
}
