import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/ (README "Layout"): each part and the parts it may import. Imports go one way, so
 * a folder can be read knowing only the ones it names. A part is a folder, imported only through its
 * entry (`<folder>/index.js`), or a single module at the top of src/ (`masking.ts`, `logger.ts`, …).
 */
const CORE = ['shared', 'masking', 'version', 'config', 'logger', 'llm', 'db', 'observability', 'catalog', 'understanding', 'tools'];
const SERVICES = [...CORE, 'offline', 'agent', 'sessions', 'web', 'feedback', 'http', 'telegram'];
const LAYERING = {
  shared: [],
  masking: ['shared'],
  version: [],
  sessions: [],
  web: [],
  config: ['masking'],
  logger: ['masking'],
  llm: ['shared'],
  db: ['config', 'shared'],
  observability: ['config', 'masking', 'shared'],
  catalog: ['db', 'llm', 'shared'],
  understanding: ['catalog', 'shared'],
  tools: ['catalog', 'shared'],
  offline: ['llm', 'catalog', 'understanding', 'tools', 'shared'],
  agent: ['llm', 'db', 'catalog', 'understanding', 'tools', 'observability', 'masking', 'shared'],
  feedback: ['db', 'observability'],
  http: ['agent', 'catalog', 'config', 'db', 'feedback', 'masking', 'observability', 'sessions', 'shared', 'tools', 'web'],
  telegram: ['config', 'logger', 'observability', 'shared', 'version'],
  app: SERVICES,
  cli: [...SERVICES, 'app'],
  eval: [...SERVICES, 'app'],
  main: ['config', 'db', 'telegram', 'app', 'logger'],
};
/** Parts that are one file at the top of src/ rather than a folder. */
const SINGLE_FILES = new Set(['masking', 'logger', 'version', 'app', 'main']);
/**
 * Deliberate ways into a folder besides its entry. catalog/lexicon is a sub-entry: the Russian/English
 * lexicon that understanding and offline read word by word, too wide to re-export from catalog's entry.
 * main.ts starts copying the prepared database with db/data-dir-copy and db/template-location (Node
 * built-ins only) before it loads the rest of db and the app, so the copy overlaps module loading; its
 * dynamic import of db/embedded.js skips the Postgres driver the same way (a dynamic import is not
 * checked by this rule).
 */
const SIDE_ENTRIES = { '*': { catalog: ['lexicon/index.js'] }, main: { db: ['data-dir-copy.js', 'template-location.js'] } };

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How deep files sit inside a folder of src/ (src/observability/spool/x.ts is 2); deeper ones go unchecked. */
const MAX_DEPTH = 4;

/**
 * A relative specifier that climbs exactly `depth` levels to src/ and names `part`: `./db/index.js` from a
 * module at the top of src/ (depth 0), `../catalog/x.js` from src/db/, `../../masking.js` from src/http/routes/.
 * Exact, so a folder's own `main.ts` or `../index.js` is never taken for another part.
 */
const reaching = (depth, part) =>
  `^${depth === 0 ? '\\./' : `(\\.\\./){${depth}}`}${escape(part)}${SINGLE_FILES.has(part) ? '\\.js$' : '(/|$)'}`;

/**
 * `no-restricted-imports` for each part (and each depth inside a folder): no part above or beside it, and
 * no file inside an allowed folder but its entry and side entries.
 */
function boundaries() {
  return Object.entries(LAYERING).flatMap(([part, allowed]) => {
    const forbidden = Object.keys(LAYERING).filter((other) => other !== part && !allowed.includes(other));
    const entries = (folder) => ['index.js', ...(SIDE_ENTRIES['*'][folder] ?? []), ...(SIDE_ENTRIES[part]?.[folder] ?? [])];
    const patternsAt = (depth) => [
      ...forbidden.map((other) => ({
        regex: reaching(depth, other),
        message: `${part} must not import ${other}: the layering is in README "Layout" (LAYERING in eslint.config.js).`,
      })),
      ...allowed
        .filter((other) => !SINGLE_FILES.has(other))
        .map((folder) => ({
          regex: `${reaching(depth, folder)}(?!(${entries(folder).map(escape).join('|')})$)`,
          message: `${part} must import ${folder} through its entry ${folder}/index.js, not a file inside it: README "Layout".`,
        })),
    ];
    const blocks = SINGLE_FILES.has(part)
      ? [{ files: [`src/${part}.ts`], depth: 0 }]
      : Array.from({ length: MAX_DEPTH }, (_, level) => ({ files: [`src/${part}/${'*/'.repeat(level)}*`], depth: level + 1 }));
    return blocks.map(({ files, depth }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns: patternsAt(depth) }] } }));
  });
}

export default tseslint.config(
  { ignores: ['dist/', '.build/', 'node_modules/', 'data/', 'coverage/', '.tmp/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The few plain-JavaScript scripts run under Node before any TypeScript loader.
  { files: ['**/*.mjs'], languageOptions: { globals: globals.node } },
  // The chat page's scripts run in the browser as ES modules.
  { files: ['src/web/public/**/*.js'], languageOptions: { globals: globals.browser, sourceType: 'module' } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...boundaries(),
);
