import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoDir, ownerFile, removeStaleDemoDirs } from '../../sandbox/demo/stale-dirs.js';

let tmp: string | undefined;
afterEach(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('stale demo dirs', () => {
  it('removes the dir of a demo whose process died (kill -9), keeps a live one and anything unmarked', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'stale-dirs-test-'));
    const dead = await createDemoDir(tmp, 999_001);
    await writeFile(join(dead, 'deckhand.yaml'), 'secret: x\n');
    const live = await createDemoDir(tmp, 999_002);
    const unmarked = join(tmp, 'deckhand-demo-fail-abc');
    await mkdir(unmarked);
    const other = join(tmp, 'something-else');
    await mkdir(other);
    await writeFile(join(other, ownerFile), '999001\n');

    const removed = await removeStaleDemoDirs(tmp, (pid) => pid === 999_002);
    expect(removed).toEqual([dead]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unmarked)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('treats this process as alive by default', async () => {
    tmp = await mkdtemp(join(tmpdir(), 'stale-dirs-test-'));
    const mine = await createDemoDir(tmp);
    expect(await removeStaleDemoDirs(tmp)).toEqual([]);
    expect(existsSync(mine)).toBe(true);
  });
});
