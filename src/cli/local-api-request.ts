import { request } from 'undici';

export type LocalAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'down'; readonly reason: string };

/** GETs a path from the running agent; "the agent is not there" is an answer, not a throw. */
export async function getFromAgent(baseUrl: string, path: string): Promise<LocalAnswer> {
  try {
    const response = await request(`${baseUrl}${path}`, {
      signal: AbortSignal.timeout(5_000),
      headers: { accept: 'application/json' },
    });
    const text = await response.body.text();
    try {
      return { kind: 'answer', status: response.statusCode, body: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'down', reason: `${baseUrl} did not answer with JSON` };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    return { kind: 'down', reason: `cannot reach the agent at ${baseUrl}: ${code}` };
  }
}
