// The Unleash proxy as the peer of the load rows, in a child process (bench/unleash-peer-server.mjs).
import { freePort, launch, stop, until } from './processes.mjs';

export const PEER_PATH = '/proxy';
const CLIENT_KEY = 'bench';

/**
 * Starts the proxy with one enabled toggle (default strategy) per name in `toggles`, and checks
 * that it answers GET /proxy with 200 and every toggle before it is measured. `cpus`: as launch's.
 */
export async function startPeer(toggles, { cpus } = {}) {
  const port = await freePort();
  const peer = launch(
    [new URL('./unleash-peer-server.mjs', import.meta.url).pathname],
    {
      PORT: String(port),
      UPSTREAM_PORT: String(await freePort()),
      TOGGLES: JSON.stringify(toggles),
    },
    { cpus },
  );
  const origin = `http://127.0.0.1:${port}`;
  const headers = { authorization: CLIENT_KEY };
  try {
    await until(
      () => peer.output().includes('listening'),
      () => `the Unleash proxy:\n${peer.output()}`,
      { child: peer.child },
    );
    const response = await fetch(origin + PEER_PATH, { headers });
    const text = await response.text();
    const names = response.ok ? JSON.parse(text).toggles.map((t) => t.name) : [];
    const missing = toggles.filter((name) => !names.includes(name));
    if (response.status !== 200 || missing.length > 0)
      throw new Error(
        `the Unleash proxy answered ${response.status} without ${missing.join(', ')}: ${text}`,
      );
  } catch (error) {
    await stop(peer.child);
    throw error;
  }
  return { child: peer.child, origin, headers, toggles: toggles.length };
}
