import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageManifest {
  readonly root: string;
  readonly version: string;
}

/**
 * The installed package: its folder and version, found by walking up from this file, which is
 * in src/ under test, in dist/bin/ bundled and in dist/src/ compiled. Files that ship with the
 * package (the vendor's public key) are found from here, wherever the package was installed.
 */
export function packageManifest(): PackageManifest | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'edge-license-agent' && pkg.version !== undefined) {
        return { root: dir, version: pkg.version };
      }
    } catch {
      // Not here: keep walking up.
    }
    dir = dirname(dir);
  }
  return null;
}

/** The vendor's production key, shipped in the package's config/ folder. */
export const PACKAGED_PUBLIC_KEY = 'config/licensespring-prod-public-key.pem';
