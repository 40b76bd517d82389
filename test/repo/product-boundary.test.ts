import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function listTsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier in `source`: static imports and re-exports, `import()` and `require()` with a literal. */
function specifiersIn(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*'([^']+)'/g, /\bimport\s*'([^']+)'/g, /\bimport\(\s*'([^']+)'\s*\)/g, /\brequire\(\s*'([^']+)'\s*\)/g];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

const probe = [
  "import { startSandboxCluster } from '../sandbox/cluster/index.js';",
  "import type { Demo } from '../../sandbox/demo/start-demo.js';",
  "import { something } from '@deckhand/sandbox/cluster';",
  "import { helper } from '../../test/helpers/redis.js';",
  "import { createLogger } from '../shared/logger.js';",
  'export { startSandboxCluster, something, helper, createLogger };',
  'export type { Demo };',
].join('\n');

describe('the product / sandbox boundary', () => {
  it('lints src/ with the rule that forbids importing the sandbox, tests or bench', async () => {
    const eslint = new ESLint({ cwd: root });
    const config = (await eslint.calculateConfigForFile(join(root, 'src/kube/probe.ts'))) as Linter.Config;
    const rule = config.rules?.['no-restricted-imports'];
    expect(rule).toEqual([2, { patterns: expect.any(Array) }]);

    // That very rule setting, run on a probe without type information (fast): it must flag
    // every way into the sandbox and leave the product's own imports alone.
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(
      probe,
      [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': rule! } }],
      'src/kube/probe.ts',
    );
    expect(messages.map((m) => m.line)).toEqual([1, 2, 3, 4]);
  });

  it('no file in src/ imports anything outside src/ but node built-ins and production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const src = join(root, 'src');
    const files = listTsFiles(src);
    expect(files.length).toBeGreaterThan(50);
    const strays: string[] = [];
    for (const file of files) {
      for (const specifier of specifiersIn(readFileSync(file, 'utf8'))) {
        const where = `${relative(root, file)} → ${specifier}`;
        if (specifier.startsWith('.')) {
          if (!resolve(dirname(file), specifier).startsWith(src + sep)) strays.push(where);
          continue;
        }
        const name = specifier.replace(/^node:/, '').split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
        if (!allowed.has(name)) strays.push(where);
      }
    }
    expect(strays).toEqual([]);
  });

  it('finds a stray import when there is one (the scan above is not blind)', () => {
    expect(specifiersIn(probe)).toEqual([
      '../sandbox/cluster/index.js',
      '../../sandbox/demo/start-demo.js',
      '@deckhand/sandbox/cluster',
      '../../test/helpers/redis.js',
      '../shared/logger.js',
    ]);
  });
});
