/**
 * What every benchmark writes: the command line and machine it ran on, and its table between
 * `<!-- bench:NAME:start -->` and `:end -->` markers in docs/BENCHMARKS.md (so a rerun replaces its own
 * block and nothing else).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHMARKS_MD = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'BENCHMARKS.md');

/** The value after `name` on the command line. */
export function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

/** `npm run SCRIPT -- <this run's arguments>`, as a reader would type it again. */
export function commandLine(script: string): string {
  const args = process.argv.slice(2);
  return `npm run ${script}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
}

/** Date, Node, CPUs, RAM, duration and the load average around the run (other work shows up as noise). */
export function machine(startedAt: number, loadBefore: number): string {
  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  return (
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${minutes} min; 1-minute load average ${loadBefore.toFixed(1)} before and ` +
    `${(loadavg()[0] ?? 0).toFixed(1)} after (other work on the machine shows up as noise)`
  );
}

/**
 * Replaces the block named `name`; a new block goes at the end of the section titled `section` (the
 * section is added at the end of the file when missing). Returns the file written.
 */
export async function writeBenchBlock(name: string, section: string, body: string): Promise<string> {
  const [start, end] = [`<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`];
  const block = `${start}\n${body}\n${end}`;
  let text = existsSync(BENCHMARKS_MD) ? await readFile(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  if (text.includes(start) && text.includes(end)) {
    text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  } else if (text.includes(`\n${section}\n`)) {
    const at = text.indexOf(`\n${section}\n`) + section.length + 1;
    const next = text.indexOf('\n## ', at);
    const sectionEnd = next < 0 ? text.length : next;
    text = `${text.slice(0, sectionEnd).trimEnd()}\n\n${block}\n${text.slice(sectionEnd)}`;
  } else {
    text = `${text.trimEnd()}\n\n${section}\n\n${block}\n`;
  }
  await writeFile(BENCHMARKS_MD, text);
  return BENCHMARKS_MD;
}
