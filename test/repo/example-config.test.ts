import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { FileConfig } from '../../src/core/config/file.js';
import { loadConfig } from '../../src/core/config/load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = readFileSync(`${root}/deckhand.example.yaml`, 'utf8');

/** Every property name in a zod schema, recursively (objects, records, arrays, defaults, unions). */
function keysOf(schema: z.core.$ZodType, out = new Set<string>()): Set<string> {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  if (def.type === 'object') {
    for (const [key, value] of Object.entries((def as { shape: Record<string, z.core.$ZodType> }).shape)) {
      out.add(key);
      keysOf(value, out);
    }
  }
  for (const inner of ['innerType', 'valueType', 'element', 'in', 'schema']) {
    const child = def[inner];
    if (child && typeof child === 'object' && '_zod' in child) keysOf(child as z.core.$ZodType, out);
  }
  if (Array.isArray(def.options)) for (const option of def.options as z.core.$ZodType[]) keysOf(option, out);
  return out;
}

describe('deckhand.example.yaml', () => {
  it('loads with loadConfig', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DECKHAND_CONFIG: 'deckhand.example.yaml' }, { cwd: root });
    expect(Object.keys(config.file.clusters)).toEqual(['prod', 'staging', 'lab']);
    expect(config.file.routes.length).toBeGreaterThan(0);
    expect(Object.keys(config.file.pagerduty.services)).toContain('PF9KMXH');
  });

  it('documents every key of the deckhand.yaml schema', () => {
    const keys = [...keysOf(FileConfig)];
    expect(keys).toEqual(expect.arrayContaining(['tokenEnv', 'allowHigh', 'users', 'pagerdutyService', 'maxIncidentTokens', 'retentionDays']));
    const missing = keys.filter((key) => !new RegExp(`(^|[\\s#])${key}:`, 'm').test(example));
    expect(missing).toEqual([]);
  });
});
