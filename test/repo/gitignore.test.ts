import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: root }).status === 0;

describe('.gitignore', () => {
  it('ignores the files the sandbox and the demo generate (credentials), and local config', () => {
    for (const path of ['sandbox.kubeconfig', 'tmp/x.kubeconfig', 'kubeconfig', '.env', 'deckhand.yaml', 'node_modules']) expect(ignored(path), path).toBe(true);
  });

  it('does not ignore the product or the examples', () => {
    for (const path of ['src/main.ts', 'deckhand.example.yaml', 'manifest.yml', 'sandbox/cluster/kubeconfig.ts']) expect(ignored(path), path).toBe(false);
  });
});
