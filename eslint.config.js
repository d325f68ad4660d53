// Lint without type information (fast): ESLint's and typescript-eslint's recommended rules, plus the
// local layering rule that keeps imports flowing downward between runtimes (scripts/eslint-layering.js).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layeringPlugin } from './scripts/eslint-layering.js';

const root = import.meta.dirname;

export default defineConfig(
  globalIgnores([
    'dist/',
    '.tsbuild/',
    'node_modules/',
    'test-results/',
    'playwright-report/',
    'release/',
    '.data/',
  ]),
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { layering: layeringPlugin },
    rules: {
      'layering/imports': ['error', { root }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
    },
  },
  {
    // Node code: scripts, config files, the processes that run in Node, and the tests.
    files: ['*.{js,mjs,cjs,ts}', 'scripts/**', 'shared/node/**', 'src-main/**', 'src-server/**', 'test/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-renderer/**', 'test/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tool configuration files must default-export their config.
    files: ['*.config.{js,mjs,ts}'],
    rules: { 'no-restricted-exports': 'off' },
  },
);
