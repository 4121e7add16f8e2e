import { createHash } from 'node:crypto';

/** Our own UUID namespace for automatic scores (a random v4, fixed forever). */
const SCORE_NAMESPACE = '5b0d9f4e-7c1a-4f3e-9a61-2d8c4b7e0f13';

/**
 * RFC 4122 version-5 UUID of `traceId:name`: the same automatic score of the same trace always gets the
 * same id, so a re-send (retry, replay after an outage) is an upsert in Langfuse, never a duplicate.
 */
export function automaticScoreId(traceId: string, name: string): string {
  const namespace = Buffer.from(SCORE_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(`${traceId}:${name}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
