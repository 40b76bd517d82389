import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * How servers under test run. `build`: compiled by tsc and run by plain node, as `npm start`
 * runs Deckhand (tsx's loader alone adds ~100 MB of RSS and slows start-up). `tsx`: straight
 * from source, for quick smoke runs.
 */
export type ServerRuntime = { kind: 'tsx' } | { kind: 'build'; dir: string };

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Under node_modules so the compiled files resolve the project's packages. */
export const buildDir = fileURLToPath(new URL('../../node_modules/.cache/deckhand-bench/', import.meta.url));

/** Compiles the server entries (and the product they import) with tsc into buildDir. */
export async function buildServers(): Promise<ServerRuntime> {
  await rm(buildDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'bench/tsconfig.servers.json'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, text }));
  });
  // Type errors elsewhere in the tree do not stop the emit; a missing entry does.
  const entries = ['bot', 'floor', 'bare-bolt', 'loadgen'].map((e) => serverEntry({ kind: 'build', dir: buildDir }, e));
  if (!entries.every((e) => existsSync(e))) throw new Error(`building the servers failed (tsc exit ${output.code}):\n${output.text.slice(-2000)}`);
  return { kind: 'build', dir: buildDir };
}

/** The file a server entry runs from. */
export function serverEntry(runtime: ServerRuntime, name: string): string {
  return runtime.kind === 'build' ? `${runtime.dir}bench/servers/${name}.js` : fileURLToPath(new URL(`../servers/${name}.ts`, import.meta.url));
}
