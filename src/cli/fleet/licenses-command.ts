import { checkListQuery } from '../../adapters/management/list-query.js';
import type { Values } from '../command.js';
import type { FLEET_LICENSES_OPTIONS } from '../commands/fleet-licenses.js';
import { EXIT } from '../exit-codes.js';
import { complain, type CliIo } from '../io.js';
import { exitForFailure } from './failure-exit.js';
import { loadFleetConfig } from './fleet-config.js';
import { LicenseWriter, type OutputFormat } from './license-writer.js';
import { openManagement } from './management-connection.js';
import { ProgressLine } from './progress-line.js';
import { thisDeviceHardwareId } from './this-device.js';

/**
 * `fleet licenses`: the Management API's inventory, streamed. Everything the command line says is
 * checked before the config is read or a request is made.
 */
export async function fleetLicensesCommand(
  values: Values<typeof FLEET_LICENSES_OPTIONS>,
  io: CliIo,
): Promise<number> {
  if (values.json === true && values.csv === true) {
    complain(io, 'give --json or --csv, not both');
    return EXIT.usage;
  }
  const limit = values.limit === undefined ? null : Number(values.limit);
  if (limit !== null && (!Number.isSafeInteger(limit) || limit < 1)) {
    complain(io, `--limit: not a positive whole number: ${values.limit ?? ''}`);
    return EXIT.usage;
  }
  const filters = [...(values.filter ?? [])];
  if (
    values['this-device'] === true &&
    filters.some((f) => f.startsWith('devices__hardware_id='))
  ) {
    complain(io, '--this-device already filters on devices__hardware_id');
    return EXIT.usage;
  }
  const checked = checkListQuery(filters, values['order-by'] ?? null);
  if (!checked.ok) {
    complain(io, checked.problem);
    return EXIT.usage;
  }
  const config = await loadFleetConfig(values.config, io);
  if (config === null) return EXIT.config;

  let query = checked.query;
  if (values['this-device'] === true) {
    const hardwareId = await thisDeviceHardwareId(config, io.env);
    if (hardwareId === null) {
      complain(
        io,
        'no hardware ID: no machine fact could be read and device.hardwareId is not set',
      );
      return EXIT.error;
    }
    query = { ...query, filters: [...query.filters, ['devices__hardware_id', hardwareId]] };
  }

  const progress = new ProgressLine(io.stderr);
  const connection = await openManagement(config, io.env, (ms, why) => {
    progress.clear();
    const reason = why === 'rate_limited' ? 'rate limited (429)' : 'not answering';
    complain(io, `the Management API is ${reason}: waiting ${Math.ceil(ms / 1000)} s`);
  });
  if (connection.kind === 'wrong') {
    for (const line of connection.lines) complain(io, line);
    return connection.exit;
  }
  const format: OutputFormat =
    values.json === true ? 'json' : values.csv === true ? 'csv' : 'table';
  const writer = new LicenseWriter(io.stdout, format, values['show-keys'] === true);
  const stop = new AbortController();
  let written = 0;
  let warned = false;
  try {
    for await (const event of connection.client.list(query, limit, stop.signal)) {
      if (event.kind === 'failed') {
        progress.clear();
        complain(io, event.failure.message);
        return exitForFailure(event.failure);
      }
      await writer.write(event.licenses);
      if (!writer.readerPresent) break;
      written += event.licenses.length;
      if (event.shifted && !warned) {
        warned = true;
        progress.clear();
        complain(
          io,
          `the inventory changed while listing in --order-by ${query.orderBy}: licences may be missing or repeated (order by id to page exactly once)`,
        );
      }
      progress.update(event.pages, written, event.count);
    }
    await writer.finish();
    progress.clear();
    return EXIT.ok;
  } finally {
    await connection.close();
  }
}
