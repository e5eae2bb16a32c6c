import type { MachineFacts, SystemFacts } from '../../agent/identity-ports.js';
import { readBoardId } from './dmi-uuid.js';
import { readMachineId } from './machine-id.js';
import { chooseNic } from './nic-selection.js';
import { readTextFile, type ReadText } from './read-text.js';
import { readInterfaces } from './sysfs-net.js';

export interface SystemFactsOptions {
  readonly sysfsRoot?: string;
  readonly etcRoot?: string;
  /** Where systemd put `LoadCredential=` files; `$CREDENTIALS_DIRECTORY` by default. */
  readonly credentialsDirectory?: string | undefined;
  /** Stands in for the file reads, so tests can produce EACCES even when they run as root. */
  readonly readText?: ReadText;
}

/**
 * The machine facts, read from sysfs and /etc directly. systeminformation is not used: on Linux
 * its uuid() shells out to `cat` the very same files (same permissions, plus a process spawn) and
 * its networkInterfaces() builds on os.networkInterfaces(), which omits interfaces without an
 * address.
 */
export function createSystemFacts(options: SystemFactsOptions = {}): SystemFacts {
  const sysfsRoot = options.sysfsRoot ?? '/sys';
  const etcRoot = options.etcRoot ?? '/etc';
  const credentialsDirectory =
    'credentialsDirectory' in options
      ? options.credentialsDirectory
      : process.env.CREDENTIALS_DIRECTORY;
  const read = options.readText ?? readTextFile;
  return {
    async read(): Promise<MachineFacts> {
      const [interfaces, machineId, board] = await Promise.all([
        readInterfaces(sysfsRoot, read),
        readMachineId(etcRoot, read),
        readBoardId(sysfsRoot, credentialsDirectory, read),
      ]);
      const nic = chooseNic(interfaces);
      const macSource = nic.verdicts.find((verdict) => verdict.kind === 'primary');
      return {
        components: { mac: nic.mac, machineId: machineId.value, dmiUuid: board.value },
        sources: {
          mac: [
            macSource === undefined
              ? { source: `${sysfsRoot}/class/net`, result: 'not-found', detail: 'no eligible NIC' }
              : { source: `${sysfsRoot}/class/net/${macSource.name}`, result: 'used' },
          ],
          machineId: machineId.attempts,
          dmiUuid: board.attempts,
        },
        interfaces: nic.verdicts,
      };
    },
  };
}
