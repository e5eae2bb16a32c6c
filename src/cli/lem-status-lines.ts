import type { LemStatusAnswer } from '../client/types.js';

/** The LEM block of `status`: where, how fresh, the pool, this device's licences, `lem:` features. */
export function lemStatusLines(lem: LemStatusAnswer): string[] {
  const lines = [
    '',
    `LEM           ${lem.upstream.kind} ${lem.upstream.baseUrl} (project ${lem.upstream.projectId ?? '?'})`,
  ];
  const failing = Object.entries(lem.parts).filter(
    ([, p]) => p.last !== null && p.last.kind !== 'ok',
  );
  const ages = Object.values(lem.parts).map((p) => p.ageSeconds);
  const oldest = ages.some((a) => a === null) ? null : Math.max(...(ages as number[]));
  lines.push(
    `last answers  ${oldest === null ? 'none for some parts' : `at most ${String(oldest)} s old`}   (state file: ${lem.stateFile})`,
  );
  for (const [part, p] of failing) {
    lines.push(`              ${part}: ${p.last?.outcome ?? '?'}: ${p.last?.message ?? ''}`);
  }
  const stats = lem.pool.stats;
  if (stats !== null) {
    lines.push(
      `pool          ${String(stats.active)} active, ${String(stats.used)} used, ${String(stats.unused)} unused, ${String(stats.expired)} expired`,
    );
  }
  const own = lem.device.entries?.flatMap((d) =>
    d.licenses.map((l) => ({ device: d.deviceId, ...l })),
  );
  if (own === undefined) lines.push('this device   not known yet');
  else if (own.length === 0) lines.push('this device   not in the pool');
  for (const l of own ?? []) {
    lines.push(
      `this device   ${l.device}: ${l.sku} ${l.status}, expires ${l.expiresAt ?? 'never'}`,
    );
  }
  for (const f of lem.features) {
    lines.push(
      `${f.code.padEnd(20)} ${(f.allowed ? 'yes' : 'no').padEnd(8)} ${f.state.padEnd(9)} ${f.reason.padEnd(22)} ${f.expiresAt ?? 'never'}`,
    );
  }
  return lines;
}
