import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.edgeship/**', 'coverage/**', 'examples/**/out/**', 'cdk.out/**', 'bench/.work/**', 'test/fixtures/sites/**', 'scripts/framework-sites/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', AbortController: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', performance: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  {
    // Browser code of the example site.
    files: ['examples/*/static/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
  {
    // CloudFront Functions code runs in CloudFront's own runtime, not in Node.
    files: ['**/edge/*.js', 'templates/**/*.js', 'examples/**/*.js'],
    rules: { 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    // Templates hold __PLACEHOLDER__ constants that `edgeship init` fills in, and one block per
    // deploy mode (each defines `handler`; init keeps one).
    files: ['templates/**/*.js'],
    rules: { 'no-undef': 'off', 'no-redeclare': 'off' },
  },
);
