import { crc32 } from 'node:zlib';

/**
 * One framed entry of a spool segment: a JSON array (OTLP ResourceSpans, or Langfuse ingestion events)
 * plus how many spans (or scores) and traces it holds. On disk each record is one line:
 *
 *   v2 <items> <traces> <crc32 as 8 hex digits> <JSON array>\n
 *
 * (`v1 <items> <crc32> …` lines of earlier versions are still read, with 0 traces.) The checksum catches
 * a line that a power loss left half-written or zero-filled; a line without its trailing newline is a
 * write that never finished (it was never acknowledged) and is ignored. JSON text never contains a raw
 * newline byte (JSON.stringify escapes it, and UTF-8 multi-byte sequences never contain 0x0A), so
 * newline framing is unambiguous.
 */
export interface SpoolRecord {
  items: number;
  /** Root spans (spans without a parent) in the record: how traces are counted. */
  traces: number;
  /** UTF-8 JSON array text, starting with `[` and ending with `]`. */
  payload: Buffer;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const isJsonArray = (payload: Buffer): boolean => payload.length >= 2 && payload[0] === 0x5b && payload[payload.length - 1] === 0x5d;

export function encodeRecord({ payload, items, traces }: SpoolRecord): Buffer {
  if (!Number.isInteger(items) || items < 0 || !Number.isInteger(traces) || traces < 0) {
    throw new Error(`record counts must be non-negative integers, got ${items} items and ${traces} traces`);
  }
  if (!isJsonArray(payload)) throw new Error('record payload must be a JSON array');
  if (payload.includes(NEWLINE)) throw new Error('record payload must not contain a newline');
  const header = Buffer.from(`v2 ${items} ${traces} ${crc32(payload).toString(16).padStart(8, '0')} `, 'latin1');
  return Buffer.concat([header, payload, Buffer.from([NEWLINE])]);
}

function parseLine(line: Buffer): SpoolRecord | null {
  // The header is short: find its fields without decoding the (possibly large) payload.
  const fields: string[] = [];
  let start = 0;
  while (fields.length < 4) {
    const end = line.indexOf(SPACE, start);
    if (end < 0 || end > 48) return null;
    fields.push(line.toString('latin1', start, end));
    start = end + 1;
    if (fields[0] === 'v1' && fields.length === 3) break;
  }
  const [version, items, ...rest] = fields;
  const traces = version === 'v2' ? rest[0] : '0';
  const crc = rest.at(-1) ?? '';
  if ((version !== 'v1' && version !== 'v2') || !/^\d{1,9}$/.test(items ?? '') || !/^\d{1,9}$/.test(traces ?? '')) return null;
  if (!/^[0-9a-f]{8}$/.test(crc)) return null;
  const payload = line.subarray(start);
  if (!isJsonArray(payload) || crc32(payload) !== Number.parseInt(crc, 16)) return null;
  return { items: Number(items), traces: Number(traces), payload };
}

/** Splits a segment's bytes into records (views into `data`, no copy) and lines that fail their checks. */
export function decodeSegment(data: Buffer): { records: SpoolRecord[]; corrupt: Buffer[] } {
  const records: SpoolRecord[] = [];
  const corrupt: Buffer[] = [];
  let start = 0;
  for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
    const line = data.subarray(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    const record = parseLine(line);
    if (record) records.push(record);
    else corrupt.push(line);
  }
  return { records, corrupt };
}

/** Joins the arrays of several records into one JSON body: `${prefix}[...all elements...]${suffix}`. */
export function joinPayloads(prefix: string, payloads: readonly Buffer[], suffix: string): Buffer {
  const parts: Buffer[] = [Buffer.from(`${prefix}[`, 'utf8')];
  for (const payload of payloads) {
    if (payload.length <= 2) continue;
    if (parts.length > 1) parts.push(Buffer.from(','));
    parts.push(payload.subarray(1, payload.length - 1));
  }
  parts.push(Buffer.from(`]${suffix}`, 'utf8'));
  return Buffer.concat(parts);
}

export const sumOf = (records: readonly { items: number; traces: number }[], key: 'items' | 'traces'): number =>
  records.reduce((sum, record) => sum + record[key], 0);
