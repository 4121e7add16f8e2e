/**
 * `npm start`: brings .build/ up to date with src/ (esbuild, ~0.2 s, skipped when nothing changed) and
 * runs the service from it. See scripts/transpile.mjs for why it does not run through tsx.
 */
import { transpileIfStale } from './transpile.mjs';

await transpileIfStale();
await import('../.build/main.js');
