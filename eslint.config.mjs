import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of lib/ (docs/architecture.md): a folder imports only from below it. A relative
 * specifier that reaches a forbidden folder (`../web/…`, `../../core/…`) fails the lint, types too.
 */
const reaching = (target) => `^(\\.\\./)+${target}`;
const notTesting = {
  regex: `^(\\./|(\\.\\./)+)testing(/|$)|^passport-push/testing$`,
  message: 'Only lib/testing and tests import the test kit.',
};
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, notTesting] }] },
});
const layers = [
  layer(['lib/*.ts'], []),
  layer(
    ['lib/core/**/*.ts'],
    [{ regex: `${reaching('(web|stores)')}(/|$)`, message: 'lib/core is below lib/web and lib/stores.' }],
  ),
  layer(
    ['lib/providers/**/*.ts'],
    [
      {
        regex: `${reaching('(core|web|stores)')}(/|$)`,
        message: 'Providers implement the contract in lib/providers/provider.ts and know no other layer.',
      },
    ],
  ),
  layer(
    ['lib/web/**/*.ts'],
    [
      {
        regex: `${reaching('core/strategy')}(\\.[jt]s)?$`,
        message: 'The router runs on the login core (lib/core/login.ts), not the passport adapter.',
      },
      { regex: `${reaching('stores')}(/|$)`, message: 'lib/web uses the store contracts in lib/core.' },
    ],
  ),
  layer(
    ['lib/stores/**/*.ts'],
    [{ regex: `${reaching('web')}(/|$)`, message: 'Stores implement the contracts in lib/core.' }],
  ),
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'bench/results/',
      'test/e2e/screenshots/',
      'reports/',
      '.stryker-tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['lib/web/client/**/*.js'], languageOptions: { globals: globals.browser, sourceType: 'script' } },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  ...layers,
);
