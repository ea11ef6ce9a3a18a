import { goFormat, goFormatString, goTypeName } from './gofmt';
import { decodeBody, goSyntaxError } from './gojson';

describe('goSyntaxError (encoding/json wording)', () => {
  test.each([
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a":1}x', "invalid character 'x' after top-level value"],
    ['01', "invalid character '1' after top-level value"],
    ['tru', 'unexpected end of JSON input'],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['nul1', "invalid character '1' in literal null (expecting 'l')"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['é', "invalid character 'Ã' looking for beginning of value"],
    ['{"a": [1, {"b": null}], "c": -1.5e+3}', undefined],
  ])('%j', (text, message) => {
    expect(goSyntaxError(Buffer.from(text, 'utf8'))).toBe(message);
  });
});

describe('decodeBody', () => {
  test('decodes strings and bytes, passes decoded values through', () => {
    expect(decodeBody('{"a":1}')).toEqual({ a: 1 });
    expect(decodeBody(Buffer.from('[1]'))).toEqual([1]);
    const value = { a: 1 };
    expect(decodeBody(value)).toBe(value);
  });

  test('throws with Go wording', () => {
    expect(() => decodeBody('{')).toThrow('unexpected end of JSON input');
  });
});

describe('goFormat (fmt %v)', () => {
  test.each([
    [null, '<nil>'],
    ['s', 's'],
    [true, 'true'],
    [42, '42'],
    [1.5, '1.5'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
    [[1, 'x', null], '[1 x <nil>]'],
    [{ b: 1, a: { c: 'd' } }, 'map[a:map[c:d] b:1]'],
  ])('%j → %s', (value, text) => {
    expect(goFormat(value)).toBe(text);
  });

  test('type names and %s', () => {
    expect([{}, [], 's', 1, 1.5, true, null].map(goTypeName)).toEqual(['map[string]interface {}', '[]interface {}', 'string', 'int64', 'float64', 'bool', '%!s(<nil>)']);
    expect(goFormatString(1)).toBe('%!s(int64=1)');
    expect(goFormatString('delete')).toBe('delete');
  });
});
