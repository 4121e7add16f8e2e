/**
 * About how many bytes of JS heap a value holds, for caches bounded by bytes rather than by entries alone:
 * one entry can be a short string or fifty wines, so a count says little about memory.
 *
 * An estimate of V8's layout on 64-bit with pointer compression, close enough to budget with (a test
 * compares it with the heap): a string is a 16-byte header plus 1 byte per character when every character
 * fits in Latin-1, else 2; an object 24 bytes plus 4 per property (names are shared) plus its values; an
 * array 16 plus 4 per element plus its elements; a number that is not a small integer 12; booleans, null
 * and undefined nothing (shared). A value reached twice is counted once.
 */
/** A character outside Latin-1: V8 then stores the whole string with 2 bytes per character. */
// eslint-disable-next-line no-control-regex -- Latin-1 starts at U+0000: the range is meant.
const WIDE = /[^\u0000-\u00ff]/;

export function approximateBytes(value: unknown): number {
  // Most cached keys and values are strings: no walk needed.
  if (typeof value === 'string') return 16 + value.length * (WIDE.test(value) ? 2 : 1);
  const seen = new Set<object>();
  const size = (item: unknown): number => {
    switch (typeof item) {
      case 'string':
        return 16 + item.length * (WIDE.test(item) ? 2 : 1);
      case 'number':
        return Number.isInteger(item) && Math.abs(item) < 2 ** 30 ? 0 : 12;
      case 'bigint':
        return 16 + 8 * Math.ceil(item.toString(16).length / 16);
      case 'object': {
        if (item === null || seen.has(item)) return 0;
        seen.add(item);
        if (ArrayBuffer.isView(item)) return 64 + item.byteLength;
        if (item instanceof Date) return 32;
        if (Array.isArray(item)) return (item as unknown[]).reduce<number>((sum, element) => sum + size(element), 16 + 4 * item.length);
        let bytes = 24;
        for (const field of Object.values(item as Record<string, unknown>)) bytes += 4 + size(field);
        return bytes;
      }
      default:
        return 0;
    }
  };
  return size(value);
}
