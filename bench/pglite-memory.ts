/**
 * `tsx bench/pglite-memory.ts` — what the embedded database's shared_buffers costs and buys: search_wines
 * latency on the bundled 1k catalog and a 101k synthetic one (bench/search.ts), each a file-backed data
 * directory as the service runs it (pages not in shared_buffers are read from the files), per setting.
 * The service's RSS per setting is `npm run bench:concurrency -- --cpu --compare ...` (docs/BENCHMARKS.md).
 *
 * Options: --settings auto,16MB,32MB,64MB,128MB (auto: what the service picks for each database)   --rounds N (queries per shape, default 50)
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createCatalog, seedCatalogIfEmpty } from '../src/catalog/index.js';
import { DEFAULT_PGLITE_MEMORY, migrate, openPGlite } from '../src/db/index.js';
import { growCatalog, measureSearch } from './search.js';
import { fmt } from './stats.js';
import { option } from './report.js';

async function main(): Promise<void> {
  const settings = (option('--settings') ?? 'auto,16MB,32MB,64MB,128MB').split(',');
  const rounds = z.coerce.number().int().positive().parse(option('--rounds') ?? 50);
  const root = await mkdtemp(join(tmpdir(), 'sommelier-bench-pglite-'));
  try {
    process.stdout.write('building the 1k and 101k catalogs…\n');
    const small = join(root, 'small');
    const large = join(root, 'large');
    const db = await openPGlite(small);
    await migrate(db);
    await seedCatalogIfEmpty(db);
    await db.close();
    await cp(small, large, { recursive: true });
    const big = await openPGlite(large);
    await growCatalog(big);
    await big.close();

    const rows: string[] = [];
    for (const sharedBuffers of settings) {
      const cells: string[] = [];
      for (const dir of [small, large]) {
        const opened = await openPGlite(dir, undefined, { ...DEFAULT_PGLITE_MEMORY, sharedBuffers });
        try {
          const count = await createCatalog(opened).count();
          const result = await measureSearch(opened, rounds);
          const chosen = (await opened.query<{ value: string }>("SELECT current_setting('shared_buffers') AS value")).rows[0]!.value;
          const picked = sharedBuffers === 'auto' ? ` (${chosen})` : '';
          cells.push(`${fmt(result.p50, 2)} / ${fmt(result.p95, 2)} / ${fmt(result.p99, 2)}${picked}`);
          process.stdout.write(`shared_buffers ${sharedBuffers}, ${count} wines: p50/p95/p99 ${cells.at(-1)} ms\n`);
        } finally {
          await opened.close();
        }
      }
      rows.push(`| ${sharedBuffers} | ${cells.join(' | ')} |`);
    }
    process.stdout.write(
      `\n| shared_buffers | search_wines p50 / p95 / p99 ms, 1k wines | the same, 101k wines |\n|---|---|---|\n${rows.join('\n')}\n`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
