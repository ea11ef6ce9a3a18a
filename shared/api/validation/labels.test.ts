import { formatLabelSelector, goLabelSelector, isValidLabelValue, selectorIsEmpty, selectorMatches, selectorString, validateAnnotations, validateLabelSelector, validateLabels } from './labels';

const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('labels', () => {
  it.each([
    ['', []],
    ['web', []],
    ['my_value-1.2', []],
    ['-web', [VALUE_MSG]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('value %j', (v, want) => expect(isValidLabelValue(v)).toEqual(want));

  it('reports at the labels field, as upstream does', () => {
    expect(validateLabels({ app: 'web', 'bad key!': 'x', tier: 'Not valid' }, 'metadata.labels').map((e) => e.field)).toEqual(['metadata.labels', 'metadata.labels']);
    expect(validateLabels({ tier: '-x' }, 'metadata.labels')[0].detail).toBe(`Invalid value: "-x": ${VALUE_MSG}`);
  });

  it('limits annotations to 256 KiB', () => {
    expect(validateAnnotations({ a: 'x'.repeat(256 * 1024 - 1) }, 'metadata.annotations')).toEqual([]);
    expect(validateAnnotations({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations')).toEqual([
      { field: 'metadata.annotations', type: 'FieldValueTooLong', detail: 'Too long: may not be more than 262144 bytes' },
    ]);
    expect(validateAnnotations({ 'Example.com/Key': 'v' }, 'metadata.annotations')).toEqual([]);
  });
});

describe('label selectors', () => {
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'legacy', operator: 'DoesNotExist' }] };

  it('matches as labels.Selector does', () => {
    expect(selectorMatches(sel, { app: 'web', tier: 'a' })).toBe(true);
    expect(selectorMatches(sel, { app: 'web', tier: 'c' })).toBe(false);
    expect(selectorMatches(sel, { app: 'web', tier: 'a', legacy: '' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(selectorMatches({}, {})).toBe(true);
    expect(selectorMatches(undefined, {})).toBe(false);
    expect(selectorIsEmpty({})).toBe(true);
    expect(selectorIsEmpty(undefined)).toBe(false);
  });

  it('prints as kubectl shows it', () => {
    expect(selectorString(sel)).toBe('app=web,!legacy,tier in (a,b)');
    expect(selectorString({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] })).toBeUndefined();
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'x', operator: 'In' }] })).toBe('<error>');
    expect(goLabelSelector({ matchLabels: { b: '2', a: '1' } }).text).toBe('{"matchLabels":{"a":"1","b":"2"}}');
    expect(goLabelSelector({ matchLabels: {}, matchExpressions: [{ key: 'k', operator: 'Exists' }] }).text).toBe('{"matchExpressions":[{"key":"k","operator":"Exists"}]}');
    expect(goLabelSelector({}).text).toBe('{}');
  });

  it('validates requirements', () => {
    const errs = validateLabelSelector(
      { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Near' }] },
      'spec.selector',
    );
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]);
  });
});
