/** The errno-style code Node puts on system errors (`ENOENT`, `EACCES`, …), or null. */
export function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}
