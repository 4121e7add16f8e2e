import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
);
