import { crc32 } from 'node:zlib';

/**
 * One framed entry of a spool segment: a JSON array (OTLP ResourceSpans, or Langfuse ingestion events)
 * plus how many spans or scores it holds. On disk each record is one line:
 *
 *   v1 <items> <crc32 as 8 hex digits> <JSON array>\n
 *
 * The checksum catches a line that a power loss left half-written or zero-filled; a line without its
 * trailing newline is a write the process never finished (it was never acknowledged) and is ignored.
 * JSON text never contains a raw newline byte (JSON.stringify escapes it, and UTF-8 multi-byte
 * sequences never contain 0x0A), so newline framing is unambiguous.
 */
export interface SpoolRecord {
  items: number;
  /** UTF-8 JSON array text, starting with `[` and ending with `]`. */
  payload: Buffer;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const VERSION = 'v1';

export function encodeRecord(record: SpoolRecord): Buffer {
  const { payload, items } = record;
  if (!Number.isInteger(items) || items < 0) throw new Error(`record item count must be a non-negative integer, got ${items}`);
  if (payload.length < 2 || payload[0] !== 0x5b || payload[payload.length - 1] !== 0x5d) {
    throw new Error('record payload must be a JSON array');
  }
  if (payload.includes(NEWLINE)) throw new Error('record payload must not contain a newline');
  const header = Buffer.from(`${VERSION} ${items} ${crc32(payload).toString(16).padStart(8, '0')} `, 'latin1');
  return Buffer.concat([header, payload, Buffer.from([NEWLINE])]);
}

export interface DecodedSegment {
  records: SpoolRecord[];
  /** Complete lines whose header or checksum is wrong: kept aside, never sent. */
  corrupt: Buffer[];
  /** Bytes after the last newline: an unfinished write. */
  tornBytes: number;
}

function parseLine(line: Buffer): SpoolRecord | null {
  // Header: "v1 <items> <crc> " — find the three spaces without decoding the (possibly large) payload.
  const first = line.indexOf(SPACE);
  const second = first < 0 ? -1 : line.indexOf(SPACE, first + 1);
  const third = second < 0 ? -1 : line.indexOf(SPACE, second + 1);
  if (third < 0 || third > 40) return null;
  if (line.toString('latin1', 0, first) !== VERSION) return null;
  const itemsText = line.toString('latin1', first + 1, second);
  const crcText = line.toString('latin1', second + 1, third);
  if (!/^\d{1,9}$/.test(itemsText) || !/^[0-9a-f]{8}$/.test(crcText)) return null;
  const payload = line.subarray(third + 1);
  if (payload.length < 2 || payload[0] !== 0x5b || payload[payload.length - 1] !== 0x5d) return null;
  if (crc32(payload) !== Number.parseInt(crcText, 16)) return null;
  return { items: Number(itemsText), payload };
}

/** Splits a segment's bytes into records; records are views into `data` (no copy). */
export function decodeSegment(data: Buffer): DecodedSegment {
  const records: SpoolRecord[] = [];
  const corrupt: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) break;
    const line = data.subarray(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    const record = parseLine(line);
    if (record) records.push(record);
    else corrupt.push(line);
  }
  return { records, corrupt, tornBytes: data.length - start };
}

/** Joins the arrays of several records into one JSON body: `${prefix}[...all elements...]${suffix}`. */
export function joinPayloads(prefix: string, payloads: readonly Buffer[], suffix: string): Buffer {
  const parts: Buffer[] = [Buffer.from(`${prefix}[`, 'utf8')];
  let first = true;
  for (const payload of payloads) {
    const inner = payload.subarray(1, payload.length - 1);
    if (inner.length === 0) continue;
    if (!first) parts.push(Buffer.from(','));
    parts.push(inner);
    first = false;
  }
  parts.push(Buffer.from(`]${suffix}`, 'utf8'));
  return Buffer.concat(parts);
}
