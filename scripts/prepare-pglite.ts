/**
 * postinstall: prepares the seeded embedded database so the first `npm start` skips initdb, and loads
 * the service's modules once so tsx's transform cache is warm for that start too.
 * Never fails the install: without either the service still starts, only slower the first time.
 */
import { prepareSeededTemplate } from '../src/catalog/index.js';

const started = performance.now();
try {
  const result = await prepareSeededTemplate();
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    result.reused
      ? `sommelier: embedded database template is up to date (${result.file})\n`
      : `sommelier: prepared the embedded database template in ${ms} ms (${Math.round(result.bytes / 1024)} KiB)\n`,
  );
} catch (error) {
  process.stderr.write(`sommelier: could not prepare the embedded database template (${String(error)}); first start will be slower\n`);
}

try {
  await import('../src/app.js');
} catch {
  // Only a cache warm-up.
}
