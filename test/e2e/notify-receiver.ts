import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Node cannot bind a Unix datagram socket; Python can, and is on every machine that runs CI. */
export const PYTHON = '/usr/bin/python3';
export const SYSTEMD_NOTIFY = '/usr/bin/systemd-notify';
export const canReceiveNotifications = existsSync(PYTHON) && existsSync(SYSTEMD_NOTIFY);

/**
 * Stands in for systemd's notify socket: prints each datagram as one JSON line. On a READY=1 it
 * asks the agent's /readyz at once, before it reads the next datagram, and records the status:
 * what an `After=` unit started by that READY=1 would find.
 */
const RECEIVER = `
import json, socket, sys, urllib.request, urllib.error
path, readyz = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print(json.dumps({"listening": True}), flush=True)
while True:
    text = s.recv(65536).decode()
    fields = dict(line.split("=", 1) for line in text.split("\\n") if "=" in line)
    if fields.get("BARRIER") == "1":
        continue
    record = {"fields": fields}
    if fields.get("READY") == "1":
        try:
            record["readyz"] = urllib.request.urlopen(readyz, timeout=5).status
        except urllib.error.HTTPError as e:
            record["readyz"] = e.code
        except Exception as e:
            record["readyz"] = repr(e)
    print(json.dumps(record), flush=True)
`;

export interface Notification {
  readonly fields: Readonly<Record<string, string>>;
  /** For READY=1: what /readyz answered at the moment the datagram arrived. */
  readonly readyz?: number | string;
}

export interface NotifyReceiver {
  readonly socket: string;
  messages(): readonly Notification[];
  /** Waits until a message satisfies `test`, and returns it. */
  next(test: (n: Notification) => boolean, after?: number): Promise<Notification>;
  close(): void;
}

export async function startNotifyReceiver(dir: string, readyzUrl: string): Promise<NotifyReceiver> {
  const socket = join(dir, 'notify.sock');
  const child = spawn(PYTHON, ['-c', RECEIVER, socket, readyzUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const received: Notification[] = [];
  let buffered = '';
  let listening: () => void = () => undefined;
  const bound = new Promise<void>((resolve) => (listening = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = JSON.parse(line) as Notification & { listening?: boolean };
      if (parsed.listening === true) listening();
      else received.push(parsed);
    }
  });
  await bound;
  return {
    socket,
    messages: () => received,
    next: async (test, after = 0) => {
      for (let waited = 0; waited < 15_000; waited += 20) {
        const found = received.slice(after).find(test);
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no such notification among ${JSON.stringify(received)}`);
    },
    close: () => {
      child.kill('SIGKILL');
    },
  };
}

/** A loopback port free a moment ago, for an agent the receiver must know the URL of in advance. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
