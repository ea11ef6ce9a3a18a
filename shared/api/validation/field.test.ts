import { child, dedupe, duplicate, forbidden, goJSON, goQuote, goRaw, goStringSlice, index, invalid, key, notFound, notSupported, required, sortedMap, tooLong } from './field';
import { decodeBase64Strict } from './base64';

describe('field errors', () => {
  it.each([
    [required('spec.containers'), 'FieldValueRequired', 'Required value'],
    [required('metadata.name', 'name or generateName is required'), 'FieldValueRequired', 'Required value: name or generateName is required'],
    [invalid('spec.replicas', -1, 'must be greater than or equal to 0'), 'FieldValueInvalid', 'Invalid value: -1: must be greater than or equal to 0'],
    [invalid('metadata.name', 'Web', 'bad'), 'FieldValueInvalid', 'Invalid value: "Web": bad'],
    [invalid('x', null, 'gone'), 'FieldValueInvalid', 'Invalid value: null: gone'],
    [invalid('x', goRaw('25%'), 'raw'), 'FieldValueInvalid', 'Invalid value: 25%: raw'],
    [notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']), 'FieldValueNotSupported', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    [duplicate('spec.containers[1].name', 'app'), 'FieldValueDuplicate', 'Duplicate value: "app"'],
    [forbidden('metadata.namespace', 'not allowed on this type'), 'FieldValueForbidden', 'Forbidden: not allowed on this type'],
    [tooLong('metadata.annotations', 262144), 'FieldValueTooLong', 'Too long: may not be more than 262144 bytes'],
    [notFound('spec.containers[0].volumeMounts[0].name', 'data'), 'FieldValueNotFound', 'Not found: "data"'],
  ])('%#', (err, type, detail) => {
    expect(err.type).toBe(type);
    expect(err.detail).toBe(detail);
  });

  it('builds paths', () => {
    expect(key(child(index(child('spec', 'containers'), 0), 'resources', 'limits'), 'cpu')).toBe('spec.containers[0].resources.limits[cpu]');
    expect(child('', 'spec')).toBe('spec');
  });

  it('quotes like Go', () => {
    expect(goQuote('a"b\\c\n\t')).toBe('"a\\"b\\\\c\\n\\t"');
    expect(goQuote('\x00é')).toBe('"\\x00é"');
    expect(goJSON(sortedMap({ b: '2', a: '1' })).text).toBe('{"a":"1","b":"2"}');
    expect(goJSON(sortedMap(undefined)).text).toBe('null');
    expect(goJSON({ v: '<a&b>' }).text).toBe('{"v":"\\u003ca\\u0026b\\u003e"}');
    expect(goStringSlice(['a', 'b'])).toBe('[]string{"a", "b"}');
  });

  it('drops repeated messages', () => {
    expect(dedupe([required('a'), required('a'), required('b')])).toHaveLength(2);
  });
});

describe('base64 as Go decodes []byte', () => {
  it.each([
    ['', ''],
    ['YQ==', 'a'],
    ['YWI=', 'ab'],
    ['YWJj', 'abc'],
    ['YW\nJj\r\n', 'abc'],
  ])('%j decodes to %j', (input, want) => {
    const r = decodeBase64Strict(input);
    expect(r.ok && r.bytes.toString()).toBe(want);
  });

  it.each([
    ['YQ', 'illegal base64 data at input byte 0'],
    ['YWJ', 'illegal base64 data at input byte 0'],
    ['not base64!', 'illegal base64 data at input byte 3'],
    ['YQ=', 'illegal base64 data at input byte 3'],
    ['YQ==YQ==', 'illegal base64 data at input byte 4'],
    ['=', 'illegal base64 data at input byte 0'],
  ])('%j fails with %s', (input, error) => {
    expect(decodeBase64Strict(input)).toEqual({ ok: false, error });
  });
});
