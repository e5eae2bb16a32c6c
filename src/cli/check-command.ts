import type { CliValues } from './cli.js';
import { agentUrl, EXIT, println, type CliIo } from './io.js';
import { getFromAgent } from './local-api-request.js';

interface FeatureAnswer {
  code: string;
  allowed: boolean;
  state: string;
  reason: string;
  expiresAt: string | null;
}

/** `check <feature>`: for shell scripts. Exit 0 allowed, 1 denied, 2 when no answer could be had. */
export async function checkCommand(
  feature: string | undefined,
  values: CliValues,
  io: CliIo,
): Promise<number> {
  if (feature === undefined || feature === '') {
    println(io.stderr, 'edge-license-agent: usage: check <feature>');
    return EXIT.error;
  }
  const base = agentUrl(values.url, io.env);
  const answer = await getFromAgent(base, `/v1/features/${encodeURIComponent(feature)}`);
  if (answer.kind === 'down') {
    println(io.stderr, `edge-license-agent: ${answer.reason}`);
    return EXIT.error;
  }
  if (answer.status !== 200 || !isFeatureAnswer(answer.body)) {
    println(
      io.stderr,
      `edge-license-agent: unexpected answer from the agent (HTTP ${String(answer.status)})`,
    );
    return EXIT.error;
  }
  const f = answer.body;
  if (values.json === true) println(io.stdout, JSON.stringify(f));
  else {
    const until = f.expiresAt === null ? '' : `, until ${f.expiresAt}`;
    println(
      io.stdout,
      `${f.code}: ${f.allowed ? 'allowed' : 'denied'} (${f.state}, ${f.reason}${until})`,
    );
  }
  return f.allowed ? EXIT.ok : EXIT.denied;
}

function isFeatureAnswer(body: unknown): body is FeatureAnswer {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b['code'] === 'string' &&
    typeof b['allowed'] === 'boolean' &&
    typeof b['state'] === 'string'
  );
}
