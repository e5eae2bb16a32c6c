// The sandbox licence server in a process of its own, granting every device LICENSES generated
// licences of FEATURES features each (src/adapters/sandbox/generated-licenses.ts). Prints one JSON
// line: { url, apiKey, sharedKey, publicKeyPem }.
import { generatedLicenses } from '../dist/src/adapters/sandbox/generated-licenses.js';
import { startSandbox } from '../dist/src/adapters/sandbox/sandbox-server.js';

// The sandbox stands in for the vendor's server, whose clock is the wall clock.
// eslint-disable-next-line no-restricted-syntax -- the licences are dated by that clock
const now = Date.now();
const sandbox = await startSandbox({
  defaultLicenses: generatedLicenses(now, {
    licenses: Number(process.env.LICENSES ?? 10),
    featuresPerLicense: Number(process.env.FEATURES ?? 20),
  }),
});
console.log(
  JSON.stringify({
    url: sandbox.url,
    apiKey: sandbox.credentials.apiKey,
    sharedKey: sandbox.credentials.sharedKey,
    publicKeyPem: sandbox.publicKeyPem,
  }),
);
process.once('SIGTERM', () => {
  void sandbox.close().then(() => process.exit(0));
});
