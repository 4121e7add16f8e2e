import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSegment, encodeRecord } from '../../../src/observability/spool/record.js';
import type { SpoolRecord } from '../../../src/observability/spool/record.js';
import { SegmentLog } from '../../../src/observability/spool/segment-log.js';

const record = (value: string, items = 1): SpoolRecord => ({ items, payload: Buffer.from(JSON.stringify([value])) });
const options = { segmentMaxBytes: 200, fsync: false, now: () => Date.now() };

async function contents(log: SegmentLog): Promise<string[][]> {
  const out: string[][] = [];
  for (const segment of log.list()) {
    out.push(decodeSegment(await log.read(segment)).records.map((r) => (JSON.parse(r.payload.toString()) as string[])[0]!));
  }
  return out;
}

describe('segment log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'segment-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends to an open segment, rolls at the size limit and seals in order', async () => {
    const log = new SegmentLog(dir, options);
    await log.open();
    for (let i = 0; i < 10; i++) await log.append(encodeRecord(record(`r${i}-${'x'.repeat(30)}`, 2)), 2);
    expect(log.pendingItems).toBe(20);
    await log.sealActive();
    const all = (await contents(log)).flat();
    expect(all.map((value) => value.split('-')[0])).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(log.list().length).toBeGreaterThan(1);
    for (const segment of log.list()) expect(segment.bytes).toBeLessThanOrEqual(200);
    expect(log.pendingBytes).toBe(log.list().reduce((sum, s) => sum + s.bytes, 0));
  });

  it('recovers after a crash: the open segment is sealed without its torn last line, counts come from names', async () => {
    const first = new SegmentLog(dir, { ...options, segmentMaxBytes: 10_000 });
    await first.open();
    await first.append(encodeRecord(record('sealed')), 1);
    await first.sealActive();
    await first.append(encodeRecord(record('kept-a', 3)), 3);
    await first.append(encodeRecord(record('kept-b', 2)), 2);
    // The process dies in the middle of a write: half a line at the end of the open segment.
    const openFile = (await readdir(dir)).find((name) => name.endsWith('.open'))!;
    const torn = encodeRecord(record('torn'));
    await writeFile(join(dir, openFile), torn.subarray(0, 9), { flag: 'a' });
    await writeFile(join(dir, 'leftover.seg.tmp'), 'half a rename');

    const second = new SegmentLog(dir, options);
    const corrupt = await second.open();
    expect(corrupt).toHaveLength(0);
    expect(second.pendingItems).toBe(6);
    expect(await contents(second)).toEqual([['sealed'], ['kept-a', 'kept-b']]);
    expect((await readdir(dir)).sort()).toEqual(second.list().map((s) => s.file.split('/').at(-1)).sort());
    // New data continues after the recovered keys.
    await second.append(encodeRecord(record('new')), 1);
    await second.sealActive();
    expect((await contents(second)).at(-1)).toEqual(['new']);
  });

  it('replaces a segment by parts that keep its place in the order', async () => {
    const log = new SegmentLog(dir, { ...options, segmentMaxBytes: 10_000 });
    await log.open();
    await log.append(encodeRecord(record('a')), 1);
    await log.append(encodeRecord(record('b')), 1);
    await log.sealActive();
    await log.append(encodeRecord(record('c')), 1);
    await log.sealActive();
    const head = log.oldestSealed()!;
    await log.replace(head, [[record('a')], [record('b')]]);
    expect(await contents(log)).toEqual([['a'], ['b'], ['c']]);
    await log.replace(log.oldestSealed()!, [[record('a1')], [record('a2')]]);
    expect(await contents(log)).toEqual([['a1'], ['a2'], ['b'], ['c']]);
    expect(log.pendingItems).toBe(4);
    // Order survives a restart (it is in the file names).
    const reopened = new SegmentLog(dir, options);
    await reopened.open();
    expect(await contents(reopened)).toEqual([['a1'], ['a2'], ['b'], ['c']]);
  });

  it('hands checksum failures of a crashed open segment back as corrupt lines', async () => {
    const log = new SegmentLog(dir, options);
    await log.open();
    await log.append(encodeRecord(record('good')), 1);
    const openFile = (await readdir(dir)).find((name) => name.endsWith('.open'))!;
    await writeFile(join(dir, openFile), Buffer.concat([Buffer.alloc(20), Buffer.from('\n')]), { flag: 'a' });
    const reopened = new SegmentLog(dir, options);
    const corrupt = await reopened.open();
    expect(corrupt).toHaveLength(1);
    expect(await contents(reopened)).toEqual([['good']]);
    expect(await readFile(reopened.list()[0]!.file, 'utf8')).toContain('"good"');
  });
});
