import { describe, expect, it } from 'vitest';
import { clientFor, drain, managementSandbox, query } from './management-harness.js';

const harness = managementSandbox();
const signal = new AbortController().signal;

describe('listing the Management API inventory', () => {
  it('writes every licence exactly once, in ID order, past the 100-per-page cap', async () => {
    const { client } = clientFor(harness);
    const all = harness.sandbox().management.ids();
    expect(all.length).toBeGreaterThanOrEqual(250);

    const listing = await drain(client.list(query(), null, signal));

    expect(listing.failure).toBeNull();
    expect(listing.licenses.map((l) => l.id)).toEqual([...all].sort((a, b) => a - b));
  });

  it('never asks for more than 100 licences in one request', async () => {
    const before = harness.sandbox().requests().length;
    const { client } = clientFor(harness);
    await drain(client.list(query(), null, signal));
    const asked = harness
      .sandbox()
      .requests()
      .slice(before)
      .map((r) => Number(r.query['limit']));
    expect(asked.length).toBeGreaterThan(3);
    expect(Math.max(...asked)).toBeLessThanOrEqual(100);
  });

  it('stops at --limit, asking for no more than it still needs', async () => {
    const before = harness.sandbox().requests().length;
    const { client } = clientFor(harness);
    const listing = await drain(client.list(query(), 150, signal));
    expect(listing.licenses).toHaveLength(150);
    const small = await drain(client.list(query(), 5, signal));
    expect(small.licenses).toHaveLength(5);
    const asked = harness
      .sandbox()
      .requests()
      .slice(before)
      .map((r) => r.query['limit']);
    expect(asked).toEqual(['100', '51', '5']);
  });

  it('sends filters and the ordering exactly as given', async () => {
    const before = harness.sandbox().requests().length;
    const { client } = clientFor(harness);
    const listing = await drain(
      client.list(
        query(
          [
            ['customer_company_name__icontains', 'acme'],
            ['created_at__date__gte', '2023-01-01'],
          ],
          '-created_at',
        ),
        null,
        signal,
      ),
    );
    const sent = harness.sandbox().requests().slice(before);
    expect(sent[0]?.query).toMatchObject({
      customer_company_name__icontains: 'acme',
      created_at__date__gte: '2023-01-01',
      order_by: '-created_at',
    });
    expect(listing.licenses.length).toBeGreaterThan(0);
    const created = listing.licenses.map((l) => String(l.json['created_at']));
    expect(created).toEqual([...created].sort().reverse());
    for (const l of listing.licenses) {
      expect((l.json['customer'] as { company_name: string }).company_name).toBe('Acme Plastics');
    }
  });

  it("waits out a 429's Retry-After, then goes on", async () => {
    const { client, waits } = clientFor(harness);
    harness.sandbox().management.throttle(2, 3);
    const listing = await drain(client.list(query(), null, signal));
    expect(listing.failure).toBeNull();
    expect(waits).toEqual([3_000, 3_000]);
    expect(listing.licenses).toHaveLength(harness.sandbox().management.size);
  });

  it('stops with a message when Retry-After is longer than the bound, without waiting', async () => {
    const { client, waits } = clientFor(harness, { maxRetryAfterMs: 60_000 });
    harness.sandbox().management.throttle(1, 600);
    const listing = await drain(client.list(query(), null, signal));
    expect(waits).toEqual([]);
    expect(listing.licenses).toEqual([]);
    expect(listing.failure?.code).toBe('management_rate_limited');
    expect(listing.failure?.message).toContain('licensespring.management.maxRetryAfterSeconds');
  });

  it('reports a refused key as a credential problem naming the setting, never the key', async () => {
    const { client, waits } = clientFor(harness, { apiKey: 'wrong-key-0123456789' });
    const listing = await drain(client.list(query(), null, signal));
    expect(waits).toEqual([]);
    expect(listing.failure?.code).toBe('management_credentials');
    expect(listing.failure?.message).toContain('licensespring.management.apiKey');
    expect(listing.failure?.message).not.toContain('wrong-key-0123456789');
  });

  it('lists the sandbox device licences for a hardware ID the inventory does not hold', async () => {
    const { client } = clientFor(harness);
    const listing = await drain(
      client.list(query([['devices__hardware_id', 'this-device-0001']]), null, signal),
    );
    expect(listing.licenses.map((l) => l.id)).toEqual([
      1_700_000_000_000_101, 1_700_000_000_000_102, 1_700_000_000_000_103,
    ]);
  });
});

describe('listing while the inventory changes between pages', () => {
  it('writes each licence present throughout exactly once, in order, and the new ones too', async () => {
    const sandbox = harness.sandbox();
    const { client } = clientFor(harness);
    const initial = [...sandbox.management.ids()].sort((a, b) => a - b);
    const deleted: number[] = [];
    const listing = await drain(client.list(query(), null, signal), (page) => {
      if (page === 1) {
        // Already written: offset paging would now skip as many licences as were deleted.
        const gone = initial.slice(10, 60);
        deleted.push(...gone);
        sandbox.management.deleteLicenses(gone);
        sandbox.management.addLicenses(20);
      }
      if (page === 2) {
        const gone = initial.slice(250, 255);
        deleted.push(...gone);
        sandbox.management.deleteLicenses(gone);
      }
    });
    const ids = listing.licenses.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const stayed = initial.filter((id) => !deleted.includes(id));
    expect(ids.filter((id) => initial.includes(id) && !deleted.includes(id))).toEqual(stayed);
    expect(ids.length).toBe(stayed.length + 50 + 20);
  });
});
