import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../../src/adapters/state-store/state-store.js';
import { deviceLicensesBody, featureCheckBody, sampleState } from './sample-state.js';
import { tempDirs } from '../../temp-dirs.js';

const tempDir = tempDirs('ela-at-rest-');

interface LicenceText {
  readonly license_key: string;
  readonly order_store_id: string;
  readonly product_details: { readonly product_name: string };
}

/** What would give the licences away: taken from the bodies saved, so none is missed. */
const licences = JSON.parse(deviceLicensesBody) as LicenceText[];
const needles: readonly string[] = [
  ...licences.flatMap((l) => [l.license_key, l.order_store_id, l.product_details.product_name]),
  (JSON.parse(featureCheckBody) as { name: string }).name,
  '"validity_period"',
  '"product_features"',
];

/**
 * A file's bytes, and the bytes of every base64 run in it: a state merely encoded, not
 * encrypted, would show its text there.
 */
function readableForms(bytes: Buffer): Buffer[] {
  const runs = bytes.toString('latin1').match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? [];
  return [bytes, ...runs.map((run) => Buffer.from(run, 'base64'))];
}

describe('the state store at rest', () => {
  it('keeps no licence key, and nothing else recognisable of the evidence, in any file', async () => {
    expect(licences.length).toBeGreaterThan(0);
    const dir = await tempDir();
    const store = createStateStore({ directory: dir });
    await store.save(sampleState());

    const names = await readdir(dir);
    expect(names.sort()).toEqual(['device.key', 'state.json']);
    const found: string[] = [];
    for (const name of names) {
      const forms = readableForms(await readFile(join(dir, name)));
      for (const needle of needles) {
        if (forms.some((form) => form.includes(Buffer.from(needle, 'utf8')))) {
          found.push(`${needle} in ${name}`);
        }
      }
    }
    expect(found).toEqual([]);
    // And yet it is all there for the agent.
    expect(await store.load(sampleState().hardwareId)).toEqual({
      kind: 'loaded',
      state: sampleState(),
    });
  });
});
