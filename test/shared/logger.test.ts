import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';

const planted = ['xoxb-1234-abcd', 'hunter2planted', 'AKIA' + 'QWERTYUIOPASDFGH'];

function capture(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }) };
}

describe('createLogger masks credentials in every part of a line', () => {
  it('in the message text and its format arguments', () => {
    const { lines, log } = capture();
    log.warn(`slack said no for ${planted[0]}`);
    log.info({ ok: true }, 'login with password %s', planted[1]);
    const out = lines.join('');
    for (const s of planted.slice(0, 2)) expect(out).not.toContain(s);
    expect(out).toContain('xoxb-****');
  });

  it('in string fields at any depth, whatever their names', () => {
    const { lines, log } = capture();
    log.error({ detail: `key ${planted[2]}`, nested: { list: [{ note: `password=${planted[1]}` }] }, count: 3 }, 'upstream failed');
    const out = lines.join('');
    for (const s of planted.slice(1)) expect(out).not.toContain(s);
    expect(JSON.parse(out)).toMatchObject({ count: 3, nested: { list: [{ note: 'password=****' }] } });
  });

  it('in error messages and stacks, and in child bindings', () => {
    const { lines, log } = capture();
    const child = log.child({ token: planted[0], request: `Bearer ${planted[0]}` });
    child.error({ err: new Error(`auth failed with ${planted[0]} and password ${planted[1]}`) }, 'call failed');
    const out = lines.join('');
    for (const s of planted.slice(0, 2)) expect(out).not.toContain(s);
    expect(JSON.parse(out).err.message).toContain('xoxb-****');
  });

  it('leaves ordinary lines alone', () => {
    const { lines, log } = capture();
    log.info({ pod: 'checkout-7d9f8b6c5-x2k4p', sha: '4f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f' }, 'pod restarted');
    expect(JSON.parse(lines[0]!)).toMatchObject({ pod: 'checkout-7d9f8b6c5-x2k4p', sha: '4f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f', msg: 'pod restarted' });
  });
});
