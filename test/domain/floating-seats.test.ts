import { describe, expect, it } from 'vitest';
import {
  emptyLedger,
  floatingTimeoutMs,
  isResting,
  reconfirmAt,
  seatActions,
  seatBoundaries,
  seatKey,
  seatLost,
  seatReleased,
  seatRetryAt,
  seatsUsed,
  seatTaken,
  type SeatLedger,
} from '../../src/domain/floating-seats.js';
import { MINUTE } from '../../src/domain/time.js';

const T0 = Date.parse('2026-12-04T08:00:00Z');
const IDLE = 30 * MINUTE;
const TIMEOUT = 120 * MINUTE;
const opcua = { licenseId: 101, feature: 'opc-ua-connector' } as const;
const seat = { ...opcua, usedBy: ['opc-ua-connector'], timeoutMs: TIMEOUT };

function taken(at = T0): SeatLedger {
  return seatTaken(emptyLedger(IDLE), seat, at);
}

function kinds(ledger: SeatLedger, now: number): string[] {
  return seatActions(ledger, now).map((a) => `${a.kind} ${seatKey(a.seat)}`);
}

describe('the seat ledger', () => {
  it('holds a seat from the first genuine check, counted as used then', () => {
    const held = taken().seats.get(seatKey(opcua));
    expect(held).toMatchObject({ state: 'held', heldSince: T0, renewedAt: T0, lastUsedAt: T0 });
  });

  it('keeps the time a seat was first held when a later check renews it', () => {
    const renewed = seatTaken(taken(), seat, T0 + 40 * MINUTE).seats.get(seatKey(opcua));
    expect(renewed).toMatchObject({ heldSince: T0, renewedAt: T0 + 40 * MINUTE, lastUsedAt: T0 });
  });

  it('notes a question only on the seats of the features asked about', () => {
    const other = { licenseId: 101, feature: 'other', usedBy: ['other'], timeoutMs: TIMEOUT };
    const ledger = seatsUsed(
      seatTaken(taken(), other, T0),
      new Set(['opc-ua-connector']),
      T0 + 5 * MINUTE,
    );
    expect(ledger.seats.get(seatKey(opcua))?.lastUsedAt).toBe(T0 + 5 * MINUTE);
    expect(ledger.seats.get('101:other')?.lastUsedAt).toBe(T0);
  });

  it("counts any feature of a floating licence as use of the licence's own seat", () => {
    const licenceSeat = { licenseId: 7, feature: null, usedBy: ['a', 'b'], timeoutMs: TIMEOUT };
    const ledger = seatsUsed(
      seatTaken(emptyLedger(IDLE), licenceSeat, T0),
      new Set(['b']),
      T0 + MINUTE,
    );
    expect(ledger.seats.get('7:')?.lastUsedAt).toBe(T0 + MINUTE);
  });

  it('forgets a seat the server refused', () => {
    expect(seatLost(taken(), opcua).seats.size).toBe(0);
  });

  it('rests a released seat until it is asked about again', () => {
    const released = seatReleased(taken(), opcua, T0 + IDLE);
    expect(isResting(released, opcua)).toBe(true);
    expect(
      isResting(seatsUsed(released, new Set(['opc-ua-connector']), T0 + IDLE + 1), opcua),
    ).toBe(false);
  });

  it.each([
    // [case, minutes after T0 when last used, minutes after T0 now, expected actions]
    ['nothing is due early in the timeout', 0, 10, []],
    [
      'a used seat is re-confirmed at 3/4 of its timeout',
      80,
      90,
      ['reconfirm 101:opc-ua-connector'],
    ],
    ['an idle seat is released, not re-confirmed', 0, 90, ['release 101:opc-ua-connector']],
    ['a seat idle for exactly the idle time is released', 0, 30, ['release 101:opc-ua-connector']],
    ['a seat asked about just before the idle time stays', 1, 30, []],
  ] as const)('%s', (_case, usedAt, nowAt, expected) => {
    const ledger = seatsUsed(taken(), new Set(['opc-ua-connector']), T0 + usedAt * MINUTE);
    expect(kinds(ledger, T0 + nowAt * MINUTE)).toEqual(expected);
  });

  it('takes a released seat again once a question came after the release', () => {
    const released = seatReleased(taken(), opcua, T0 + IDLE);
    expect(kinds(released, T0 + IDLE + MINUTE)).toEqual([]);
    const askedAgain = seatsUsed(released, new Set(['opc-ua-connector']), T0 + IDLE + MINUTE);
    expect(kinds(askedAgain, T0 + IDLE + MINUTE)).toEqual(['retake 101:opc-ua-connector']);
  });

  it('retries a retake that did not get through at its retry time, not before', () => {
    const released = seatReleased(taken(), opcua, T0 + IDLE);
    const asked = seatsUsed(released, new Set(['opc-ua-connector']), T0 + IDLE + MINUTE);
    const waiting = seatRetryAt(asked, opcua, T0 + IDLE + 2 * MINUTE);
    expect(kinds(waiting, T0 + IDLE + MINUTE)).toEqual([]);
    expect(kinds(waiting, T0 + IDLE + 2 * MINUTE)).toEqual(['retake 101:opc-ua-connector']);
  });

  it('retries a re-confirm that did not get through at its retry time, not before', () => {
    const used = seatsUsed(taken(), new Set(['opc-ua-connector']), T0 + 85 * MINUTE);
    const waiting = seatRetryAt(used, opcua, T0 + 91 * MINUTE);
    expect(kinds(waiting, T0 + 90 * MINUTE)).toEqual([]);
    expect(kinds(waiting, T0 + 91 * MINUTE)).toEqual(['reconfirm 101:opc-ua-connector']);
    const renewed = seatTaken(waiting, seat, T0 + 91 * MINUTE).seats.get(seatKey(opcua));
    expect(renewed?.state === 'held' && reconfirmAt(renewed)).toBe(T0 + 181 * MINUTE);
  });
});

describe('seatBoundaries', () => {
  it.each([
    // [case, minutes after T0 when last used, minutes after T0 now, boundaries (minutes after T0)]
    ['a used seat: its re-confirm instant, 3/4 into the timeout', 70, 75, [90]],
    ['a seat that goes idle before its re-confirm: none (it is released)', 0, 10, []],
    ['an idle seat: none', 0, 40, []],
  ] as const)('%s', (_case, usedAt, nowAt, expected) => {
    const ledger = seatsUsed(taken(), new Set(['opc-ua-connector']), T0 + usedAt * MINUTE);
    expect(seatBoundaries(ledger, T0 + nowAt * MINUTE)).toEqual(
      expected.map((m) => ({ at: T0 + m * MINUTE, kind: 'floating_timeout' })),
    );
  });

  it('has none for a released seat, and sorts the rest by time', () => {
    const short = { licenseId: 102, feature: 'x', usedBy: ['x'], timeoutMs: 20 * MINUTE };
    let ledger = seatTaken(taken(), short, T0);
    ledger = seatsUsed(ledger, new Set(['opc-ua-connector', 'x']), T0 + 70 * MINUTE);
    expect(seatBoundaries(ledger, T0 + 70 * MINUTE).map((b) => b.at)).toEqual([
      T0 + 15 * MINUTE,
      T0 + 90 * MINUTE,
    ]);
    expect(seatBoundaries(seatReleased(ledger, opcua, T0 + 70 * MINUTE), T0 + 70 * MINUTE)).toEqual(
      [{ at: T0 + 15 * MINUTE, kind: 'floating_timeout' }],
    );
  });
});

describe('floatingTimeoutMs', () => {
  it.each([
    ['the feature’s own timeout first', [10, 120], 10],
    ['else the licence’s', [null, 60], 60],
    ['else the vendor’s usual 120 minutes', [undefined, null], 120],
    ['never a timeout of 0', [0, undefined], 120],
  ] as const)('%s', (_case, given, minutes) => {
    expect(floatingTimeoutMs(...given)).toBe(minutes * MINUTE);
  });
});
