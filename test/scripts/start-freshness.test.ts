import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm start` (scripts/start.mjs) starts from dist/ without compiling when nothing it is built
 * from changed, and compiles first when something did. Driven on a small temporary tree (one
 * source file, its own tsconfigs) with controlled modification times, so a rebuild costs a
 * one-file tsc run instead of the product's ~40 s build.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));

interface BuildState {
  needsBuild(root: string): boolean;
  newestInput(root: string): number;
}
const state = (await import(pathToFileURL(join(repo, 'scripts', 'build-state.mjs')).href)) as BuildState;

/** Seconds since the epoch, in whole seconds from a fixed point: every file's age is set explicitly. */
const t0 = Math.floor(Date.now() / 1000) - 3600;
const setTime = (path: string, seconds: number) => utimesSync(path, t0 + seconds, t0 + seconds);
const mtime = (path: string) => statSync(path).mtimeMs;

function write(root: string, path: string, text: string, seconds: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  setTime(full, seconds);
}

/** A tree as `npm start` expects it: src/, the tsconfigs, the lockfile, and dist/ built at second 100 (stamp included). */
function makeTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'deckhand-start-'));
  write(root, 'src/main.ts', "declare const process: { stdout: { write(text: string): void } };\nprocess.stdout.write('from the new source\\n');\n", 10);
  write(root, 'src/nested/deep/helper.ts', 'export const helper = 1;\n', 10);
  write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { target: 'es2022', lib: ['es2022'], module: 'nodenext', types: [], skipLibCheck: true } }), 10);
  write(root, 'tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }), 10);
  write(root, 'package.json', JSON.stringify({ type: 'module' }), 10);
  write(root, 'package-lock.json', '{}\n', 10);
  // What the last build left: deliberately not what src/main.ts compiles to, so a run tells which one started.
  write(root, 'dist/main.js', "process.stdout.write('from the old build\\n');\n", 100);
  write(root, 'dist/.built', 'built\n', 100);
  return root;
}

describe('npm start: the freshness check (scripts/build-state.mjs)', () => {
  const roots: string[] = [];
  const tree = () => {
    const root = makeTree();
    roots.push(root);
    return root;
  };
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('starts without a build when the stamp is newer than every input', () => {
    const root = tree();
    expect(state.newestInput(root)).toBe((t0 + 10) * 1000);
    expect(state.needsBuild(root)).toBe(false);
    // Files of dist/ itself are not inputs.
    setTime(join(root, 'dist', 'main.js'), 500);
    expect(state.needsBuild(root)).toBe(false);
  });

  it('builds when any input is newer than the stamp, or as new', () => {
    for (const input of ['src/main.ts', 'src/nested/deep/helper.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
      const root = tree();
      setTime(join(root, input), 101);
      expect(state.needsBuild(root), input).toBe(true);
      setTime(join(root, input), 100);
      expect(state.needsBuild(root), `${input} as new as the stamp`).toBe(true);
      setTime(join(root, input), 99);
      expect(state.needsBuild(root), `${input} older again`).toBe(false);
    }
  });

  it('builds when a source file is added', () => {
    const root = tree();
    write(root, 'src/added.ts', 'export {};\n', 150);
    expect(state.needsBuild(root)).toBe(true);
  });

  it('builds when there is no stamp (never built, or the last build failed) or no dist/main.js', () => {
    const noStamp = tree();
    rmSync(join(noStamp, 'dist', '.built'));
    expect(state.needsBuild(noStamp)).toBe(true);
    const noMain = tree();
    rmSync(join(noMain, 'dist', 'main.js'));
    expect(state.needsBuild(noMain)).toBe(true);
  });
});

describe('npm start: scripts/start.mjs on a tree', () => {
  let root: string;
  beforeAll(() => {
    root = makeTree();
    mkdirSync(join(root, 'scripts'));
    for (const file of ['start.mjs', 'build-state.mjs']) copyFileSync(join(repo, 'scripts', file), join(root, 'scripts', file));
    // start.mjs resolves the compiler from where it lies, as in the repository.
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const start = () =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // The heap cap as `npm start` sets it: the compiler must run without it.
      const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root, env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=128' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('runs dist/ as built when nothing changed, without compiling', async () => {
    const run = await start();
    expect(run).toEqual({ code: 0, stdout: 'from the old build\n', stderr: '' });
    expect(mtime(join(root, 'dist', '.built'))).toBe((t0 + 100) * 1000);
  });

  it('compiles first when a source file is newer than the build, then starts the new build; the next start compiles nothing', { timeout: 90_000 }, async () => {
    setTime(join(root, 'src', 'main.ts'), 200);
    const rebuilt = await start();
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toBe('from the new source\n');
    expect(rebuilt.stderr).toMatch(/^deckhand: built dist\/ in \d+ ms\n$/);
    expect(readFileSync(join(root, 'dist', 'main.js'), 'utf8')).toContain('from the new source');
    expect(mtime(join(root, 'dist', '.built'))).toBeGreaterThan((t0 + 200) * 1000);

    const again = await start();
    expect(again).toEqual({ code: 0, stdout: 'from the new source\n', stderr: '' });
  });
});
