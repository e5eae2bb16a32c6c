import { describe, expect, it } from 'vitest';
import { instant, spanText } from '../../../../src/adapters/http-api/status-page/time-text.js';

describe('spans on the status page', () => {
  it.each([
    [0, '0 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [3599, '59 min'],
    [3600, '1 h'],
    [3600 + 120, '1 h 2 min'],
    [86_400, '1 d'],
    [86_400 * 3 + 3600 * 5 + 59, '3 d 5 h'],
    [-5, '0 s'],
  ])('%s seconds read as %s', (seconds, text) => {
    expect(spanText(seconds)).toBe(text);
  });

  it('shows an instant to the minute, keeps it exact in datetime, and says how far it is', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(instant('2026-03-01T11:58:30.250Z', now).text).toBe(
      '<time datetime="2026-03-01T11:58:30.250Z">2026-03-01 11:58 UTC</time> <span class="rel">(1 min ago)</span>',
    );
    expect(instant(null, now, 'never').text).toBe('never');
  });
});
