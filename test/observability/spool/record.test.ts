import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { decodeSegment, encodeRecord, joinPayloads } from '../../../src/observability/spool/record.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

describe('spool record framing', () => {
  it('round-trips any JSON arrays, newlines and non-ASCII text included', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.jsonValue(), { maxLength: 5 }), { minLength: 1, maxLength: 8 }), (arrays) => {
        const framed = Buffer.concat(arrays.map((array) => encodeRecord({ items: array.length, traces: 0, payload: json(array) })));
        const decoded = decodeSegment(framed);
        expect(decoded.corrupt).toHaveLength(0);
        expect(decoded.records.map((record) => JSON.parse(record.payload.toString('utf8')) as unknown)).toEqual(
          arrays.map((array) => JSON.parse(JSON.stringify(array)) as unknown),
        );
        expect(decoded.records.map((record) => record.items)).toEqual(arrays.map((array) => array.length));
      }),
    );
  });

  it('ignores an unfinished last line (a write the process never completed)', () => {
    const whole = encodeRecord({ items: 1, traces: 1, payload: json([{ a: 'line one\nstill one' }]) });
    const next = encodeRecord({ items: 2, traces: 1, payload: json([1, 2]) });
    const decoded = decodeSegment(Buffer.concat([whole, next.subarray(0, next.length - 5)]));
    expect(decoded.records).toHaveLength(1);
    expect(decoded.corrupt).toHaveLength(0);
  });

  it('reports a damaged line as corrupt and keeps the lines around it', () => {
    const first = encodeRecord({ items: 1, traces: 1, payload: json(['first']) });
    const damaged = Buffer.from(encodeRecord({ items: 1, traces: 1, payload: json(['second']) }));
    damaged[damaged.length - 4] = 'X'.charCodeAt(0);
    const zeroFilled = Buffer.concat([Buffer.alloc(32), Buffer.from('\n')]);
    const last = encodeRecord({ items: 1, traces: 1, payload: json(['third']) });
    const decoded = decodeSegment(Buffer.concat([first, damaged, zeroFilled, last]));
    expect(decoded.records.map((record) => record.payload.toString())).toEqual(['["first"]', '["third"]']);
    expect(decoded.corrupt).toHaveLength(2);
  });

  it('refuses payloads that are not a JSON array on one line', () => {
    expect(() => encodeRecord({ items: 1, traces: 1, payload: Buffer.from('{"a":1}') })).toThrow(/JSON array/);
    expect(() => encodeRecord({ items: 1, traces: 1, payload: Buffer.from('[1,\n2]') })).toThrow(/newline/);
    expect(() => encodeRecord({ items: -1, traces: 0, payload: Buffer.from('[]') })).toThrow(/non-negative/);
  });

  it('keeps the trace count, and reads the v1 lines of earlier versions with a count of 0', () => {
    const v2 = encodeRecord({ items: 5, traces: 2, payload: json([1]) });
    const payload = json(['old']);
    const v1 = Buffer.concat([Buffer.from(`v1 3 ${crc32(payload).toString(16).padStart(8, '0')} `), payload, Buffer.from('\n')]);
    expect(decodeSegment(Buffer.concat([v2, v1])).records.map(({ items, traces }) => [items, traces])).toEqual([
      [5, 2],
      [3, 0],
    ]);
  });

  it('joins record arrays into one JSON body, skipping empty ones', () => {
    const body = joinPayloads('{"batch":', [json([1, 2]), json([]), json([{ x: 3 }])], '}');
    expect(JSON.parse(body.toString())).toEqual({ batch: [1, 2, { x: 3 }] });
    expect(JSON.parse(joinPayloads('{"batch":', [json([])], '}').toString())).toEqual({ batch: [] });
  });
});
