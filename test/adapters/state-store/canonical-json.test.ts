import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/adapters/state-store/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth, inside arrays too', () => {
    const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: null } };
    const b = { a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('gives the same text for data and for its JSON round trip', () => {
    const data = {
      body: '{"validity_period":"2023-12-20"}\n\u2028 Zähler €',
      skew: -1250.5,
      zero: -0,
      big: 1_767_229_200_000,
      tiny: 5e-324,
      nothing: null,
      left: undefined,
      list: [undefined, 'x'],
      '\u00e9': true,
      e: false,
    };
    expect(canonicalJson(JSON.parse(JSON.stringify(data)))).toBe(canonicalJson(data));
  });

  it('leaves out undefined members as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('escapes strings as JSON does, so no two values share a text', () => {
    expect(canonicalJson({ a: 'x","b":"y' })).toBe('{"a":"x\\",\\"b\\":\\"y"}');
  });

  it('rejects what JSON cannot hold', () => {
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});
