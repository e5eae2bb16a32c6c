import { setTimeout as delay } from 'node:timers/promises';
import { systemClock, systemRandom } from '../adapters/clock/system-clock.js';
import { createSystemFacts } from '../adapters/system-facts/system-facts.js';
import type { CheckResult } from '../app/doctor/doctor-check.js';
import { runDoctor } from '../app/doctor/run-doctor.js';
import type { SystemFacts } from '../agent/identity-ports.js';
import type { Values } from './command.js';
import type { DOCTOR_OPTIONS } from './commands/doctor.js';
import { EXIT } from './exit-codes.js';
import { quietLogger } from './quiet-logger.js';
import { configPath, println, type CliIo } from './io.js';

const MARK: Record<CheckResult['status'], string> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'FAIL',
  skip: 'skip',
};

/** `doctor`: every check on one screen, the exit code saying whether any failed. */
export async function doctorCommand(
  values: Values<typeof DOCTOR_OPTIONS>,
  io: CliIo,
  facts: SystemFacts = createSystemFacts({ credentialsDirectory: io.env['CREDENTIALS_DIRECTORY'] }),
): Promise<number> {
  const results = await runDoctor(configPath(values.config, io.env).path, {
    facts,
    clock: systemClock,
    sleep: (ms) => delay(ms),
    random: systemRandom,
    log: quietLogger,
    env: io.env,
  });
  if (values.json === true) {
    println(io.stdout, JSON.stringify(results, null, 2));
  } else {
    const width = Math.max(...results.map((r) => r.id.length));
    for (const r of results) {
      println(io.stdout, `${MARK[r.status]}  ${r.id.padEnd(width)}  ${r.detail}`);
      if (r.fix !== null) println(io.stdout, `      ${' '.repeat(width)}  fix: ${r.fix}`);
    }
  }
  return results.some((r) => r.status === 'fail') ? EXIT.no : EXIT.ok;
}
