// The probe process: prints this machine's virtualization facts as one JSON line, then exits.
// The daemon starts it (detect-machine.ts) so that systeminformation never loads in its own heap.
import { readVirtualizationFacts } from './virtualization-facts.js';

process.stdout.write(`${JSON.stringify(await readVirtualizationFacts())}\n`);
