/**
 * Reading kubectl's column output as a person pasted it into Slack: code fences and Slack's
 * entity escaping removed, columns found from the header's positions (kubectl pads columns with
 * at least three spaces) or, when Slack or a client collapsed the spacing, from single spaces.
 * Pure.
 */

/** The pasted text as kubectl printed it: no ``` fences, `&lt;none&gt;` back to `<none>`. */
export function unwrapPaste(text: string): string {
  return text
    .replace(/```/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\r/g, '');
}

export interface Table {
  header: string[];
  rows: Record<string, string>[];
}

/**
 * The first table in `text` whose header has all of `required` (upper-case words, e.g. NAME,
 * READY, STATUS): each following non-empty line until a blank line or another header is a row.
 * The last column takes the rest of the line (MESSAGE, AGE…).
 */
export function findTable(text: string, required: readonly string[]): Table | undefined {
  const lines = unwrapPaste(text).split('\n');
  const start = lines.findIndex((line) => {
    const words = headerWords(line);
    return words !== undefined && required.every((r) => words.includes(r));
  });
  if (start < 0) return undefined;
  const headerLine = lines[start] ?? '';
  const header = headerWords(headerLine) ?? [];
  const starts = columnStarts(headerLine, header);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') {
      if (rows.length > 0) break;
      continue;
    }
    if (headerWords(line)?.includes(header[0] ?? 'NAME')) break;
    rows.push(splitRow(line, header, starts));
  }
  return rows.length > 0 ? { header, rows } : undefined;
}

/** Multi-word kubectl headers kept as one column name. */
const joinedHeaders: [RegExp, string][] = [
  [/\bLAST SEEN\b/, 'LAST_SEEN'],
  [/\bNOMINATED NODE\b/, 'NOMINATED_NODE'],
  [/\bREADINESS GATES\b/, 'READINESS_GATES'],
];

function headerWords(line: string): string[] | undefined {
  let text = line.trim();
  if (!/^[A-Z][A-Z_ -]*$/.test(text) || !/\s/.test(text)) return undefined;
  for (const [pattern, name] of joinedHeaders) text = text.replace(pattern, name);
  return text.split(/\s+/);
}

/** Where each header word starts in the header line (for the padded layout). */
function columnStarts(line: string, header: string[]): number[] {
  const starts: number[] = [];
  let from = 0;
  for (const word of header) {
    const shown = word.replace(/_/g, ' ');
    const at = line.indexOf(shown, from);
    starts.push(at);
    from = at + shown.length;
  }
  return starts;
}

function splitRow(line: string, header: string[], starts: number[]): Record<string, string> {
  const row: Record<string, string> = {};
  // kubectl's padded layout: cut at the header's column starts.
  const aligned = starts.every((s, i) => s >= 0 && (i === 0 || line[s - 1] === ' ' || line[s - 1] === undefined));
  if (aligned && /\S {2,}\S/.test(line)) {
    header.forEach((name, i) => {
      const from = starts[i] ?? 0;
      const to = i + 1 < header.length ? (starts[i + 1] ?? line.length) : line.length;
      row[name] = line.slice(from, to).trim();
    });
    return row;
  }
  // Spacing collapsed: one word per column; RESTARTS may carry "(2m ago)", the last column the rest.
  const words = line.trim().split(/\s+/);
  let w = 0;
  header.forEach((name, i) => {
    if (i === header.length - 1) {
      row[name] = words.slice(w).join(' ');
      return;
    }
    let value = words[w++] ?? '';
    if (name === 'RESTARTS' && words[w]?.startsWith('(')) {
      while (w < words.length && !value.endsWith(')')) value += ` ${words[w++] ?? ''}`;
    }
    row[name] = value;
  });
  return row;
}
