import { readFile, writeFile } from 'node:fs/promises';
import { diagnosisCases } from './cases.js';
import { withDiagnosisTable } from './table.js';

/** `npm run diagnosis-table`: rewrites README's diagnosis table from test/diagnosis/cases.ts. */
const path = new URL('../../README.md', import.meta.url);
const readme = await readFile(path, 'utf8');
await writeFile(path, withDiagnosisTable(readme, diagnosisCases));
