import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseAcknowledgement,
  parseLicenseFeatures,
  parsePoolStats,
  parseServerFeatures,
  parseSkus,
  parseUsedPage,
} from '../../../src/adapters/lem/parse-lem-bodies.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/lem/${name}`, import.meta.url), 'utf8'));

describe("the LEM document's example bodies", () => {
  it('parse as pool stats', () => {
    expect(parsePoolStats(fixture('pool-stats.json'))).toEqual({
      ok: true,
      value: { active: 1, used: 1, unused: 0, expired: 0 },
    });
  });

  it('parse as SKUs with their core flag', () => {
    expect(parseSkus(fixture('skus.json'))).toEqual({
      ok: true,
      value: [{ licenseSku: 'litmusedge-scale-nl', count: 1, isCore: true }],
    });
  });

  it('parse as a page of used licences, keeping the MAC and the expiries', () => {
    const result = parseUsedPage(fixture('used-page.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ pageNum: 0, pagesCount: 1, totalSize: 1 });
    expect(result.value.elements[0]).toMatchObject({
      deviceId: '88mqx2r8dv6fgsc968ybvw43k',
      macAddress: '00:50:56:b9:8e:b5',
      expiryFeatureDate: 1786233599000,
    });
    expect(result.value.elements[0]?.licenses[0]).toEqual({
      id: '2e4392ee-2d75-4850-994f-13f36c1fdbc7',
      licenseKey: '0000-0000-0000-0000',
      licenseSku: 'litmusedge-scale-nl',
      status: 'OK',
      activationDate: null,
      expiryDate: 1786233599000,
      expiryFeatureDate: 1786233599000,
      isCore: true,
      isTrial: false,
    });
  });

  it('parse as server features, 1/0 read as enabled or not', () => {
    const result = parseServerFeatures(fixture('server-features.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(6);
    expect(result.value.find((f) => f.name === 'DigitalTwin')).toEqual({
      name: 'DigitalTwin',
      description: 'Asset Management',
      type: 'EXPERIMENTAL',
      enabled: false,
    });
    expect(result.value.find((f) => f.name === 'EdgeEvents')?.enabled).toBe(true);
  });

  it('parse as licence features with their expiry', () => {
    expect(parseLicenseFeatures(fixture('license-features.json'))).toEqual({
      ok: true,
      value: ['core', 'catalog'].map((name) => ({
        name,
        description: name,
        expiresAt: 1756771200000,
        count: -1,
        limited: false,
        enabled: true,
      })),
    });
  });

  it("parse as the upload's acknowledgement", () => {
    expect(parseAcknowledgement(fixture('upload-csv-answer.json'))).toEqual({
      ok: true,
      value: { code: 'S', message: null },
    });
  });
});

describe('the LEM parsers', () => {
  it('tolerate fields a later LEM adds', () => {
    const result = parsePoolStats({ active: 2, used: 1, unused: 1, expired: 0, reserved: 4 });
    expect(result).toEqual({ ok: true, value: { active: 2, used: 1, unused: 1, expired: 0 } });
  });

  it('refuse a missing count and name where it is, without echoing values', () => {
    const result = parsePoolStats({ active: 'secret-looking-value', used: 1, unused: 0 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.detail).toContain('active');
    expect(result.detail).toContain('expired');
    expect(result.detail).not.toContain('secret-looking-value');
  });

  it('refuse a page of used licences whose device has no ID', () => {
    const page = fixture('used-page.json') as { elements: { deviceId?: string }[] };
    delete page.elements[0]?.deviceId;
    expect(parseUsedPage(page)).toMatchObject({ ok: false });
  });

  it('refuse an object where a list of SKUs belongs', () => {
    expect(parseSkus({ licenseSku: 'x', count: 1 })).toMatchObject({ ok: false });
  });
});
