// The peer users would otherwise pick for local feature decisions: the Unleash proxy
// (@unleash/proxy 1.4.9, the last release that runs on Node 20), run in a process of its own with
// its toggles bootstrapped and its upstream on a loopback port nothing listens on, so that it
// serves from what it was given, as the agent serves from its saved state.
// Environment: PORT (to listen on, 127.0.0.1), UPSTREAM_PORT (nothing listens there), TOGGLES (a
// JSON array of toggle names). Prints 'listening' once it answers.
import { createApp } from '@unleash/proxy';

const toggles = JSON.parse(process.env.TOGGLES ?? '[]');
const features = toggles.map((name) => ({
  name,
  enabled: true,
  strategies: [{ name: 'default', parameters: {} }],
}));
const app = createApp({
  unleashUrl: `http://127.0.0.1:${process.env.UPSTREAM_PORT}/api/`,
  unleashApiToken: 'bench-not-a-token',
  clientKeys: ['bench'],
  // Its refresh would only fail against the closed port; the bench measures answers, not retries.
  refreshInterval: 3_600_000,
  metricsInterval: 3_600_000,
  logLevel: 'error',
  expBootstrap: { data: features },
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
