import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { createCatalog } from '../../src/catalog/index.js';
import { runImport } from '../../src/cli/import.js';
import { SHOP_CSV } from '../catalog/fixtures.js';
import { databaseBackends } from '../support/database.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('runImport', () => {
  const backend = databaseBackends()[0]!;
  let db: Database;
  let dir: string;

  beforeAll(async () => {
    db = await backend.open();
    dir = await mkdtemp(join(tmpdir(), 'sommelier-import-'));
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a shop file and prints every rejected row with its number and reason', async () => {
    const file = join(dir, 'shop.csv');
    await writeFile(file, SHOP_CSV);
    const out = capture();
    const report = await runImport(file, db, out.stream);
    expect(report).toMatchObject({ total: 10, inserted: 3, updated: 0 });
    const printed = out.text();
    expect(printed).toContain('shop.csv: 10 rows: 3 new, 0 updated, 7 rejected.');
    expect(printed).toContain('Rejected rows (the header is row 1):');
    expect(printed).toMatch(/ {2}row 4: type: unknown wine type "Blue"/);
    expect(printed).toContain('  row 9: expected 14 columns, found 3');
    expect(printed).toContain('Ignored columns: notes');
    expect(await createCatalog(db).count()).toBe(1010);

    const again = capture();
    await runImport(file, db, again.stream);
    expect(again.text()).toContain('10 rows: 0 new, 3 updated, 7 rejected.');
    expect(await createCatalog(db).count()).toBe(1010);
  });

  it('prints no rejection section for a clean file', async () => {
    const file = join(dir, 'clean.csv');
    await writeFile(file, 'name;type;price;currency\nКрымское игристое;Игристое;890;руб\n');
    const out = capture();
    const report = await runImport(file, db, out.stream);
    expect(report.rejected).toEqual([]);
    expect(out.text()).toBe('clean.csv: 1 row: 1 new, 0 updated, 0 rejected.\n');
    const [wine] = await createCatalog(db).searchWines({ type: 'sparkling', minPrice: 0 });
    expect(wine).toMatchObject({ name: 'Крымское игристое', price: 890, currency: 'RUB' });
  });

  it('draws a progress bar for checking and writing on a terminal, and none elsewhere', async () => {
    const file = join(dir, 'bar.csv');
    await writeFile(file, SHOP_CSV);
    const terminal = Object.assign(capture(), {});
    Object.assign(terminal.stream, { isTTY: true, columns: 100 });
    await runImport(file, db, capture().stream, terminal.stream);
    // Without the terminal's cursor and colour codes (ESC [ … letter).
    const drawn = terminal.text().replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'), '');
    expect(drawn).toMatch(/checking \[[^\]]+\] \d+\/10 rows/);
    expect(drawn).toMatch(/writing {2}\[[^\]]+\] 3\/3 rows/);

    const pipe = capture();
    await runImport(file, db, capture().stream, pipe.stream);
    expect(pipe.text()).toBe('');
  });

  it('names the file it cannot read', async () => {
    await expect(runImport(join(dir, 'missing.csv'), db, capture().stream)).rejects.toThrow(/cannot read .*missing\.csv: no such file/);
  });
});
