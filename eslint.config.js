// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import specifiers a product file (src/**) may not use (test/repo/product-boundary.test.ts checks them). */
const productOnlyPatterns = [
  { group: ['@deckhand/sandbox', '@deckhand/sandbox/*'], message: 'The product never imports the sandbox package.' },
  {
    regex: '^(\\.\\./)+(sandbox|test|bench)(/|$)',
    message: 'The product never imports the sandbox, tests or bench (they are not in dist/ or the image).',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'docs/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited promise in a bot is a lost alert.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use an `as const` union, not an enum.' }],
    },
  },
  {
    // The product never imports the sandbox package (nor tests or bench): they are not in
    // dist/ or the image. The reverse direction (sandbox → product) is allowed.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: productOnlyPatterns }],
    },
  },
  {
    // The sandbox package reaches the product's plumbing through one door
    // (sandbox/shared/product.ts); only the demo, whose point is to run the product, boots it.
    files: ['sandbox/**/*.ts'],
    ignores: ['sandbox/shared/product.ts', 'sandbox/demo/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+src/', message: 'Import the product through sandbox/shared/product.ts.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests poke at loosely-typed wire payloads (Slack form bodies, fake API records).
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly' } } },
);
