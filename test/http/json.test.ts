import { describe, expect, it } from 'vitest';
import { locateJsonError, parseJsonBody } from '../../src/http/json.js';

describe('parseJsonBody', () => {
  it('parses valid JSON', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,2,{"b":null}]}'))).toEqual({ a: [1, 2, { b: null }] });
  });

  it('names the problem and its place, never the body', () => {
    const body = '{"user": "app", "password": hunter2}';
    let message = '';
    try {
      parseJsonBody(Buffer.from(body));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('body is not valid JSON: unexpected character at line 1, column 29');
    expect(message).not.toContain('hunter2');
  });
});

describe('locateJsonError', () => {
  it.each([
    ['', { problem: 'the body is empty' }],
    ['{"a": ', { problem: 'unexpected end of input', line: 1, column: 7 }],
    ['{"a" 1}', { problem: "expected ':' after a property name", column: 6 }],
    ["{'a': 1}", { problem: 'expected a property name in double quotes', column: 2 }],
    ['[1, 2', { problem: 'unexpected end of input', column: 6 }],
    ['[1 2]', { problem: "expected ',' or ']'", column: 4 }],
    ['{"a": "b\\q"}', { problem: 'invalid escape in a string', column: 9 }],
    ['{"a": "secret-value', { problem: 'unterminated string', column: 20 }],
    ['{"a": 1}\n{"b": 2}', { problem: 'unexpected data after the JSON value', line: 2, column: 1 }],
    ['{\n  "a": tru\n}', { problem: 'unexpected character', line: 2, column: 8 }],
  ])('%j', (text, expected) => {
    expect(locateJsonError(text)).toMatchObject(expected);
  });

  it('agrees with JSON.parse that valid JSON has no error', () => {
    expect(locateJsonError('{"a": [1, -2.5e3, true, false, null, "x\\u00e9"]}')).toEqual({ problem: 'invalid JSON' });
  });
});
