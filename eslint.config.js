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
    // The one rule for Slack text (src/slack/blocks/mrkdwn.ts): only that file makes Mrkdwn
    // and mrkdwn text objects, so no builder can hand Slack an unescaped, unmasked string.
    // decisions/messages.ts still builds its own blocks (escaping and masking with fromCluster);
    // it moves onto the helpers once the decision-loop work there has landed.
    files: ['src/**/*.ts'],
    ignores: ['src/slack/blocks/mrkdwn.ts', 'src/decisions/messages.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` union, not an enum.' },
        { selector: "TSAsExpression > TSTypeReference[typeName.name='Mrkdwn']", message: 'Make Mrkdwn with safe(), md`…` or the helpers of slack/blocks/mrkdwn.ts, never by a cast.' },
        {
          selector: "ObjectExpression > Property[key.name='type'][value.value='mrkdwn']",
          message: 'Build mrkdwn text objects with section/contextBlock/fieldsSection of slack/blocks/mrkdwn.ts (they take Mrkdwn only).',
        },
      ],
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
