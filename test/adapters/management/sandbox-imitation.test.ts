import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { managementSandbox } from './management-harness.js';

const harness = managementSandbox();

async function list(query: string, key = harness.sandbox().credentials.managementApiKey) {
  const url = `${harness.sandbox().managementUrl}api/v1/licenses/${query}`;
  const response = await request(url, {
    headers: { authorization: `Api-Key ${key}` },
    dispatcher: harness.dispatcher,
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as {
      count: number;
      next: string | null;
      results: { id: number }[];
    },
  };
}

describe("the sandbox's Management API imitation", () => {
  it('caps a page at 100 without an error, as the vendor documents', async () => {
    const { status, body } = await list('?limit=500');
    expect(status).toBe(200);
    expect(body.results).toHaveLength(100);
    expect(body.next).toContain('offset=100');
  });

  it('answers 20 licences a page by default', async () => {
    expect((await list('')).body.results).toHaveLength(20);
  });

  it('ignores a filter it does not know, answering the whole inventory as the server does', async () => {
    const { body } = await list('?devices__hardwareid=nothing');
    expect(body.count).toBe(harness.sandbox().management.size);
  });

  it('refuses a request without the management key', async () => {
    expect((await list('', 'sandbox-api-key-not-a-secret')).status).toBe(401);
  });
});
