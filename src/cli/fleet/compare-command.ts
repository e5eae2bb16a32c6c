import type { ManagementLicense } from '../../adapters/management/page-walk.js';
import type { LicenseAnswer } from '../../client/types.js';
import { askAgent } from '../ask-agent.js';
import type { Values } from '../command.js';
import type { FLEET_COMPARE_OPTIONS } from '../commands/fleet-compare.js';
import { EXIT } from '../exit-codes.js';
import { complain, println, type CliIo } from '../io.js';
import { exitForFailure } from './failure-exit.js';
import { loadFleetConfig } from './fleet-config.js';
import { openManagement } from './management-connection.js';

/** Where one licence is seen, and whether the two views agree on it. */
export type Verdict = 'agree' | 'only-server' | 'only-agent' | 'server-disabled';

export interface ComparedLicense {
  readonly licenseId: number;
  readonly verdict: Verdict;
  /** The server's `status` (`active`, `inactive`, `disabled`), or null when it lists none. */
  readonly server: string | null;
  /** The agent's state (`active`, `grace`, `expired`, ...), or null when it holds none. */
  readonly agent: string | null;
}

/**
 * `fleet compare`: the running agent's licences (from `device_licenses`) beside the Management
 * API's licences bound to the agent's hardware ID. The agent is asked first: its hardware ID is
 * the one that counts, whatever this shell would compose.
 */
export async function fleetCompareCommand(
  values: Values<typeof FLEET_COMPARE_OPTIONS>,
  io: CliIo,
): Promise<number> {
  const config = await loadFleetConfig(values.config, io);
  if (config === null) return EXIT.config;
  return askAgent(values, io, async (agent) => {
    const status = await agent.status();
    const connection = await openManagement(config, io.env, (ms) => {
      complain(io, `the Management API asks to wait: ${Math.ceil(ms / 1000)} s`);
    });
    if (connection.kind === 'wrong') {
      for (const line of connection.lines) complain(io, line);
      return connection.exit;
    }
    const server: ManagementLicense[] = [];
    try {
      const query = {
        filters: [['devices__hardware_id', status.device.hardwareId] as const],
        orderBy: 'id',
      };
      for await (const event of connection.client.list(query, null, new AbortController().signal)) {
        if (event.kind === 'failed') {
          complain(io, event.failure.message);
          return exitForFailure(event.failure);
        }
        server.push(...event.licenses);
      }
    } finally {
      await connection.close();
    }
    const compared = compareLicenses(server, status.licenses);
    const agree = compared.every((c) => c.verdict === 'agree');
    if (values.json === true) {
      println(
        io.stdout,
        JSON.stringify(
          { hardwareId: status.device.hardwareId, agree, licenses: compared },
          null,
          2,
        ),
      );
    } else {
      println(io.stdout, `hardware ID  ${status.device.hardwareId}`);
      println(io.stdout, `server       ${connection.target}`);
      println(io.stdout, '');
      println(io.stdout, 'LICENCE              SERVER     AGENT      VERDICT');
      for (const c of compared) {
        println(
          io.stdout,
          `${String(c.licenseId).padEnd(20)} ${(c.server ?? '-').padEnd(10)} ${(c.agent ?? '-').padEnd(10)} ${c.verdict}`,
        );
      }
      println(io.stdout, '');
      println(
        io.stdout,
        agree ? 'the server and the agent agree' : 'the server and the agent DISAGREE',
      );
    }
    return agree ? EXIT.ok : EXIT.no;
  });
}

/** Every licence either side knows, by ID, in ID order. */
export function compareLicenses(
  server: readonly ManagementLicense[],
  agent: readonly LicenseAnswer[],
): ComparedLicense[] {
  const ids = [...new Set([...server.map((l) => l.id), ...agent.map((l) => l.licenseId)])];
  return ids
    .sort((a, b) => a - b)
    .map((licenseId) => {
      const s = server.find((l) => l.id === licenseId);
      const a = agent.find((l) => l.licenseId === licenseId);
      const serverStatus = s === undefined ? null : serverState(s);
      const verdict: Verdict =
        s === undefined
          ? 'only-agent'
          : a === undefined
            ? 'only-server'
            : s.json['enabled'] === false && a.allowed
              ? 'server-disabled'
              : 'agree';
      return { licenseId, verdict, server: serverStatus, agent: a?.state ?? null };
    });
}

function serverState(l: ManagementLicense): string {
  const status = l.json['status'];
  if (typeof status === 'string') return status;
  return l.json['enabled'] === false ? 'disabled' : 'listed';
}
