import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Database } from '../db/index.js';
import { importWinesCsv, type ImportReport, type ImportStage } from '../catalog/index.js';

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
/** Where the progress bar goes: a terminal only (a pipe or a log file gets the report alone). */
export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

function progressBar(stream: ProgressStream): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    // Not cleared on completion: a small file finishes within one frame, and a bar that vanishes is no bar.
    { stream, format: '{stage} [{bar}] {value}/{total} rows', hideCursor: true, clearOnComplete: false, forceRedraw: true },
    cliProgress.Presets.shades_classic,
  );
}

export async function runImport(
  file: string,
  db: Database,
  out: NodeJS.WritableStream,
  progress: ProgressStream = process.stderr,
): Promise<ImportReport> {
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
    throw new Error(`cannot read ${file}: ${reason}`);
  }
  const bar = progress.isTTY ? progressBar(progress) : null;
  let stage: ImportStage | null = null;
  try {
    const report = await importWinesCsv(db, csv, {
      source: `import:${path.basename(file)}`,
      onProgress: (done, total, now) => {
        if (!bar) return;
        if (stage !== now) {
          // One bar per stage; the finished one stays on screen above the next.
          if (stage !== null) bar.stop();
          bar.start(total, done, { stage: now === 'checking' ? 'checking' : 'writing ' });
          stage = now;
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
