/* eslint-disable @typescript-eslint/no-meaningless-void-operator, @typescript-eslint/no-confusing-void-expression -- a character scanner: `return void i++` advances past a token and leaves in one step */
import { AppError } from '../shared/errors.js';

/**
 * Parses a JSON request body. On a syntax error the AppError says what is wrong and where
 * (line, column, byte offset) and never quotes the body: V8's own message does
 * (`Unexpected token 'h', "{"password": hunter2}" is not valid JSON`), and error bodies
 * and logs must not echo what a sender posted.
 */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const where = locateJsonError(text);
    const at = where.offset === undefined ? '' : ` at line ${where.line}, column ${where.column}`;
    throw new AppError('bad_request', `body is not valid JSON: ${where.problem}${at}`, {
      details: { problem: where.problem, ...(where.offset === undefined ? {} : { line: where.line, column: where.column, offset: where.offset }) },
    });
  }
}

export interface JsonErrorLocation {
  problem: string;
  /** Character offset of the problem; undefined when no position applies. */
  offset?: number;
  line?: number;
  column?: number;
}

/** Internal: ends the scan at the first problem (caught below, never escapes). */
class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const whitespace = new Set([' ', '\t', '\n', '\r']);
const numberRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Where JSON text first goes wrong, described without quoting it. Pure. */
export function locateJsonError(text: string): JsonErrorLocation {
  if (text.trim() === '') return { problem: 'the body is empty' };
  let i = 0;
  const stop = (problem: string): never => {
    throw new Stop(i, problem);
  };
  const skip = () => {
    while (i < text.length && whitespace.has(text[i] ?? '')) i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) stop('unterminated string');
      else if (c === '"') return void i++;
      else if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else stop('invalid escape in a string');
      } else if (c < ' ') stop('control character in a string');
      else i++;
    }
  };
  const container = (close: string, member: () => void) => {
    i++;
    skip();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      skip();
      if (text[i] === ',') i++;
      else if (text[i] === close) return void i++;
      else stop(text[i] === undefined ? 'unexpected end of input' : `expected ',' or '${close}'`);
    }
  };
  const value = (): void => {
    skip();
    const c = text[i];
    if (c === undefined) return stop('unexpected end of input');
    if (c === '{') {
      return container('}', () => {
        skip();
        if (text[i] !== '"') stop('expected a property name in double quotes');
        string();
        skip();
        if (text[i] !== ':') stop("expected ':' after a property name");
        i++;
        value();
      });
    }
    if (c === '[') return container(']', value);
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return void (i += literal.length);
    numberRe.lastIndex = i;
    if (numberRe.test(text)) return void (i = numberRe.lastIndex);
    stop('unexpected character');
  };
  try {
    value();
    skip();
    if (i < text.length) stop('unexpected data after the JSON value');
    return { problem: 'invalid JSON' };
  } catch (err) {
    if (err instanceof Stop) return { problem: err.problem, offset: err.offset, ...lineAndColumn(text, err.offset) };
    // A stack overflow on absurd nesting: say so, without a position.
    return { problem: 'nesting too deep' };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
