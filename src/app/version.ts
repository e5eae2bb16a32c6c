import { packageManifest } from '../config/package-root.js';

/** The package version (src/ in tests, dist/ when built). */
export function agentVersion(): string {
  return packageManifest()?.version ?? '0.0.0-unknown';
}
