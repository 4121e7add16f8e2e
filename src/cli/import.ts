import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Database } from '../catalog/database.js';
import { importWinesCsv } from '../catalog/importer.js';
import type { ImportReport } from '../catalog/types.js';

/** Human-readable import report: counts, then every rejected row with its reason. */
export function formatImportReport(file: string, report: ImportReport): string {
  const lines = [
    `${path.basename(file)}: ${report.total} ${report.total === 1 ? 'row' : 'rows'}: ${report.inserted} new, ${report.updated} updated, ${report.rejected.length} rejected.`,
  ];
  if (report.rejected.length > 0) {
    lines.push('Rejected rows (the header is row 1):');
    for (const { row, reason } of report.rejected) lines.push(`  row ${row}: ${reason}`);
  }
  if (report.ignoredColumns && report.ignoredColumns.length > 0) {
    lines.push(`Ignored columns: ${report.ignoredColumns.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run import -- FILE.csv`: imports a shop's wine list (see src/catalog/importer.ts for the columns),
 * with a progress bar on a terminal's stderr, and prints the report to `out`.
 */
export async function runImport(file: string, db: Database, out: NodeJS.WritableStream): Promise<ImportReport> {
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
    throw new Error(`cannot read ${file}: ${reason}`);
  }
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: 'importing [{bar}] {value}/{total} rows', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  try {
    const report = await importWinesCsv(db, csv, {
      source: `import:${path.basename(file)}`,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, done);
          started = true;
        } else {
          bar.update(done);
        }
      },
    });
    bar?.stop();
    out.write(formatImportReport(file, report));
    return report;
  } catch (error) {
    bar?.stop();
    throw error;
  }
}
