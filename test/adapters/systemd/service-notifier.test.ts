import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogFields } from '../../../src/agent/ports.js';
import { serviceNotifier } from '../../../src/adapters/systemd/service-notifier.js';
import { canReceiveNotifications, startNotifyReceiver } from '../../e2e/notify-receiver.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ela-notifier-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recordingLog() {
  const warnings: { fields: LogFields; message: string }[] = [];
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (fields: LogFields, message: string) => {
      warnings.push({ fields, message });
    },
    error: () => undefined,
    child: () => log,
  };
  return { log, warnings };
}

describe('the systemd notifier', () => {
  it.skipIf(!canReceiveNotifications)(
    'delivers the messages in the order they were asked for',
    async () => {
      const receiver = await startNotifyReceiver(dir, 'http://127.0.0.1:1/readyz');
      try {
        const notifier = serviceNotifier({
          env: { NOTIFY_SOCKET: receiver.socket },
          pid: process.pid,
          log: recordingLog().log,
          monotonicUsec: () => 123_456n,
        });
        notifier.status('starting');
        notifier.reloading();
        notifier.ready('3 licences');
        notifier.stopping();
        await notifier.settled();
        await receiver.next((n) => n.fields['STOPPING'] === '1');
        expect(receiver.messages().map((n) => n.fields)).toEqual([
          { STATUS: 'starting' },
          { RELOADING: '1', MONOTONIC_USEC: '123456', STATUS: 'reloading the configuration' },
          { READY: '1', STATUS: '3 licences' },
          { STOPPING: '1', STATUS: 'stopping' },
        ]);
      } finally {
        receiver.close();
      }
    },
  );

  it('says once, not at every message, that it cannot reach systemd', async () => {
    const { log, warnings } = recordingLog();
    const notifier = serviceNotifier({
      env: { NOTIFY_SOCKET: join(dir, 'nobody.sock') },
      pid: process.pid,
      log,
      monotonicUsec: () => 0n,
      command: join(dir, 'no-such-helper'),
    });
    notifier.status('a');
    notifier.status('b');
    notifier.stopping();
    await notifier.settled();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('could not notify systemd');
  });

  it('does nothing without NOTIFY_SOCKET, and pings no watchdog', async () => {
    const { log, warnings } = recordingLog();
    const notifier = serviceNotifier({
      env: { WATCHDOG_USEC: '1000' },
      pid: process.pid,
      log,
      monotonicUsec: () => 0n,
      command: join(dir, 'no-such-helper'),
    });
    notifier.ready('x');
    notifier.startWatchdog()();
    await notifier.settled();
    expect(warnings).toEqual([]);
  });
});
