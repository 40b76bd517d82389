import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { diagnosisCases } from './cases.js';
import { renderDiagnosisTable } from './table.js';

describe("README's diagnosis table", () => {
  it('is the one generated from test/diagnosis/cases.ts (run npm run diagnosis-table)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(renderDiagnosisTable(diagnosisCases));
  });

  it('has a row per case, each naming its kind and object', () => {
    const table = renderDiagnosisTable(diagnosisCases);
    for (const c of diagnosisCases) expect(table).toContain(`\`${c.expect.kind}\``);
    expect(table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| failure'))).toHaveLength(diagnosisCases.length);
  });
});
