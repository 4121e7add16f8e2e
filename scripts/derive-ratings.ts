/**
 * Derives assets/xwines/ratings.csv (WineID,AverageRating,RatingCount) from the X-Wines 150K ratings
 * inside the dataset's zip, so the app ships a few kilobytes of aggregates instead of 8 MB of ratings.
 *
 *   npx tsx scripts/derive-ratings.ts [ZIP] [OUT]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

const DEFAULT_ZIP = '../shared/data/xwines/XWines_Slim_1K_wines_150K_ratings.zip';
const DEFAULT_OUT = 'assets/xwines/ratings.csv';
const RATINGS_ENTRY = 'XWines_Slim_150K_ratings.csv';

/** Reads one stored or deflated entry from a zip archive (no zip64, which this 8 MB archive does not need). */
function readZipEntry(zip: Buffer, name: string): Buffer {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error('not a zip archive (no end-of-central-directory record)');
  const entries = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  for (let index = 0; index < entries; index += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (entryName === name) {
      const dataStart =
        localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`unsupported zip compression method ${method}`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} not found in the archive`);
}

const ratingRow = z.object({
  WineID: z.coerce.number().int().positive(),
  Rating: z.coerce.number().min(1).max(5),
});

export function aggregateRatings(csv: string): Map<number, { sum: number; count: number }> {
  const records: unknown[] = parse(csv, { columns: true, skip_empty_lines: true });
  const totals = new Map<number, { sum: number; count: number }>();
  records.forEach((record, index) => {
    const parsed = ratingRow.safeParse(record);
    if (!parsed.success) throw new Error(`ratings row ${index + 2}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const entry = totals.get(parsed.data.WineID) ?? { sum: 0, count: 0 };
    entry.sum += parsed.data.Rating;
    entry.count += 1;
    totals.set(parsed.data.WineID, entry);
  });
  return totals;
}

async function main(): Promise<void> {
  const [zipPath = DEFAULT_ZIP, outPath = DEFAULT_OUT] = process.argv.slice(2);
  const csv = readZipEntry(await readFile(zipPath), RATINGS_ENTRY).toString('utf8');
  const totals = aggregateRatings(csv);
  const lines = ['WineID,AverageRating,RatingCount'];
  for (const [wineId, { sum, count }] of [...totals].sort(([a], [b]) => a - b)) {
    lines.push(`${wineId},${(sum / count).toFixed(3)},${count}`);
  }
  await writeFile(outPath, `${lines.join('\n')}\n`);
  const ratings = [...totals.values()].reduce((total, entry) => total + entry.count, 0);
  process.stdout.write(`${outPath}: ${totals.size} wines, ${ratings} ratings\n`);
}

await main();
