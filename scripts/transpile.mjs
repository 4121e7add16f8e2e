/**
 * Transpiles src/ to plain JavaScript in .build/ with esbuild (types stripped, one output file per source
 * file, same layout, non-TypeScript files copied beside them), only when src/ changed since the last run.
 * `npm start` runs the service from there: Node loads the app in about half the time it takes through
 * tsx's on-the-fly transform, which is most of a cold start. Type checking stays with `npm run typecheck`.
 * Plain JavaScript on purpose: it runs before anything could load TypeScript.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = path.join(ROOT, 'src');
/** One level below the package root, like src/: code that resolves ../package.json or assets/ finds them. */
export const BUILD_DIR = path.join(ROOT, '.build');
const STAMP = '.source-signature';

async function sourceFiles() {
  const entries = await readdir(SOURCE, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Names, sizes and modification times of every source file, the esbuild version and this script. */
async function signatureOf(files) {
  // esbuild's package.json rather than the module: loading esbuild is only worth it when building.
  const esbuild = await readFile(path.join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8');
  const hash = createHash('sha256').update(JSON.parse(esbuild).version).update(await readFile(fileURLToPath(import.meta.url)));
  for (const file of files) {
    const { size, mtimeMs } = await stat(file);
    hash.update(`${path.relative(SOURCE, file)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Builds .build/ unless it already matches src/. Resolves to true when it built. */
export async function transpileIfStale() {
  const files = await sourceFiles();
  const signature = await signatureOf(files);
  const current = await readFile(path.join(BUILD_DIR, STAMP), 'utf8').catch(() => null);
  if (current === signature) return false;

  // Built aside and swapped in, so a crash mid-build never leaves a half-built tree that looks current.
  const partial = `${BUILD_DIR}.${process.pid}.partial`;
  await rm(partial, { recursive: true, force: true });
  const typescript = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: typescript,
    outdir: partial,
    outbase: SOURCE,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const file of files.filter((file) => !file.endsWith('.ts'))) {
    const target = path.join(partial, path.relative(SOURCE, file));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(file, target);
  }
  await writeFile(path.join(partial, STAMP), signature);
  await rm(BUILD_DIR, { recursive: true, force: true });
  try {
    await rename(partial, BUILD_DIR);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Fine when another start built the same sources at the same moment and won the rename.
    if ((await readFile(path.join(BUILD_DIR, STAMP), 'utf8').catch(() => null)) !== signature) throw error;
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const built = await transpileIfStale();
  console.log(built ? `sommelier: transpiled src/ to .build/ in ${Math.round(performance.now() - started)} ms` : 'sommelier: .build/ is up to date');
}
