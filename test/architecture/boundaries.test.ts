import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries of src/ (LAYERING in eslint.config.js, README "Layout") are an ESLint rule; these
 * snippets, linted as if they were files of src/, show that it reports a back-edge and a deep import and
 * lets a legal import through. Without the rule the first cases fail.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
// One instance: loading the config and typescript-eslint is most of the cost.
const eslint = new ESLint({ cwd: root });

async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('import boundaries', () => {
  it.each([
    ['a back-edge (db → catalog)', 'src/db/back-edge.ts', `import { createCatalog } from '../catalog/index.js';\nexport const open = createCatalog;\n`, 'db must not import catalog'],
    ['a deep import (agent → catalog/types.js)', 'src/agent/deep-import.ts', `import type { Wine } from '../catalog/types.js';\nexport type Found = Wine;\n`, 'through its entry catalog/index.js'],
    ['a back-edge to a single-file module (config → logger)', 'src/config/logger-use.ts', `export { createLogger } from '../logger.js';\n`, 'config must not import logger'],
    ['a sideways import two levels down (http/routes → telegram)', 'src/http/routes/bot.ts', `export type { TelegramBot } from '../../telegram/index.js';\n`, 'http must not import telegram'],
    ['a deep import by main beyond its side entries', 'src/main.ts', `export { openPostgres } from './db/postgres.js';\n`, 'through its entry db/index.js'],
  ])('reports %s', async (_case, filePath, code, expected) => {
    const messages = await boundaryMessages(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
  });

  it.each([
    ['an entry import down the layers (agent → catalog)', 'src/agent/allowed.ts', `import type { Wine } from '../catalog/index.js';\nexport type Found = Wine;\n`],
    ['a folder’s own files, at any depth', 'src/http/routes/own.ts', `export type { HttpServer } from '../index.js';\nexport { BOT_TOKEN_HEADER } from '../../shared/index.js';\n`],
    ['the catalog/lexicon sub-entry', 'src/understanding/words.ts', `export { readTerms } from '../catalog/lexicon/index.js';\n`],
    ["main's built-in-only db side entries", 'src/main.ts', `export { startDataDirCopy } from './db/data-dir-copy.js';\nexport { findSeededDataDir } from './db/template-location.js';\n`],
  ])('allows %s', async (_case, filePath, code) => {
    expect(await boundaryMessages(filePath, code)).toEqual([]);
  });
});
