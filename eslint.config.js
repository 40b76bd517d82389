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

/**
 * The house (ARCHITECTURE.md): capabilities meet only through their declared ports, the
 * kernel (src/core) and adapters import no capability, and the action catalog
 * (src/decisions/actions: the decision loop's domain, which analysis and conversation propose
 * in) imports neither the rest of the loop nor any capability. A capability is one folder of src/.
 */
const capabilities = ['intake', 'analysis', 'decisions', 'conversation', 'commands', 'watch'];
/** The files other capabilities may import: a stage's entry and each declared port. */
const ports = ['analysis/job', 'analysis/port', 'decisions/port', 'decisions/actions/[a-z-]+', 'conversation/port', 'intake/port', 'watch/port'];

/** An import of another capability's file (not a port), from anywhere under src/<self>/. */
function otherCapability(self) {
  const others = capabilities.filter((c) => c !== self).join('|');
  return `^(\\.\\./)+(?!(${ports.join('|')})\\.js$)(${others})/`;
}

const noCapability = {
  regex: `^(\\.\\./)+(${capabilities.join('|')})/`,
  message: 'Below the capabilities: the kernel, the action domain and the adapters import no capability.',
};
const noRoot = { regex: '^(\\.\\./)+(app|compose|main)\\.js$', message: 'Only the composition root imports app.ts / compose.ts.' };

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
    // The Anthropic SDK is imported at the first Claude call (src/analysis/agent/client.ts
    // loadAnthropicSdk), never with the modules that start up: README "Performance".
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: '@anthropic-ai/sdk', allowTypeImports: true, message: 'Types only: load the SDK with loadAnthropicSdk() (analysis/agent/client.ts) at the first Claude call.' }],
        patterns: [{ group: ['@anthropic-ai/sdk/*'], allowTypeImports: true, message: 'Types only: load the SDK with loadAnthropicSdk() (analysis/agent/client.ts) at the first Claude call.' }],
      }],
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
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    rules: {
      'max-lines': ['error', { max: 300 }],
      // Numbers and booleans read fine in messages; objects and undefined do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Wire data breaks its declared types: Kubernetes JSON has null where client-node says
      // undefined, numbers where it says string (IntOrString), strings where it says Date; the
      // defensive checks and String() calls on it are deliberate. (It also misreads flags set
      // inside callbacks as always false.)
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      // client-node's models are classes only in its types; the API hands plain JSON objects.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-misused-spread': 'off',
    },
  },
  ...capabilities.map((self) => ({
    files: [`src/${self}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...productOnlyPatterns, { regex: otherCapability(self), message: `A capability reaches another only through its declared port (${ports.join(', ')}).` }, noRoot] },
      ],
    },
  })),
  {
    files: ['src/core/**/*.ts', 'src/kube/**/*.ts', 'src/slack/**/*.ts', 'src/jobs/**/*.ts', 'src/http/**/*.ts', 'src/metrics/**/*.ts', 'src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...productOnlyPatterns, noCapability, noRoot] }] },
  },
  {
    // The catalog is pure domain: it may not reach into the loop that runs it, nor any capability.
    files: ['src/decisions/actions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...productOnlyPatterns,
            { regex: '^\\.\\./(?!\\.\\./)', message: 'The action catalog imports nothing of the decision loop around it.' },
            { regex: `^\\.\\./\\.\\./(${capabilities.join('|')})/`, message: 'The action catalog imports no capability.' },
            noRoot,
          ],
        },
      ],
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
