import { ERR_FORMAT_WRONG, ERR_SUFFIX, Quantity, QuantityError, canonicalQuantity, quantityError, toMillis, toNumber } from './quantity';

describe('Quantity canonical form', () => {
  it.each([
    ['0', '0'],
    ['250m', '250m'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['.5', '500m'],
    ['1000m', '1'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['64Mi', '64Mi'],
    ['100Mi', '100Mi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['0.1Ki', '102400m'],
    ['2Ki', '2Ki'],
    ['1G', '1G'],
    ['1000000000', '1G'],
    ['1e3', '1e3'],
    ['5e2', '500'],
    ['1.1e3', '1100'],
    ['1e-3', '1e-3'],
    ['0.0001', '100u'],
    ['1n', '1n'],
    ['0.1n', '1n'],
    ['0.000000000001', '1n'],
    ['-1', '-1'],
    ['+1', '+1'],
    ['-1.5', '-1500m'],
    ['9223372036854775807', '9223372036854775807'],
    ['9223372036854775808', '9223372036854775807'],
    ['Ki', '0'],
  ])('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });

  // Kubernetes keeps the original text whenever its int64 fast path judges it canonical.
  it.each([['1.'], ['1E3'], ['00100m'], ['+1']])('keeps %s as written, as Kubernetes does', (input) => {
    expect(canonicalQuantity(input)).toBe(input);
  });

  it('accepts numbers as YAML gives them', () => {
    expect(canonicalQuantity(0.5)).toBe('500m');
    expect(canonicalQuantity(2)).toBe('2');
  });
});

describe('Quantity values', () => {
  it.each([
    ['250m', 250, 1],
    ['1.5', 1500, 2],
    ['1', 1000, 1],
    ['64Mi', 67108864000, 67108864],
    ['1G', 1e12, 1e9],
    ['1e3', 1e6, 1000],
    ['2Ki', 2048000, 2048],
    ['1n', 1, 1],
    ['0', 0, 0],
  ])('%s → %d millis, %d value', (input, millis, value) => {
    expect(toMillis(input)).toBe(millis);
    expect(toNumber(input)).toBe(value);
  });

  it('compares and adds exactly', () => {
    expect(Quantity.parse('500m').cmp(Quantity.parse('0.5'))).toBe(0);
    expect(Quantity.parse('1Gi').cmp(Quantity.parse('1G'))).toBe(1);
    expect(Quantity.parse('1').cmp(Quantity.parse('1001m'))).toBe(-1);
    expect(Quantity.parse('250m').add(Quantity.parse('1.5')).toString()).toBe('1750m');
    expect(Quantity.parse('1Gi').add(Quantity.parse('512Mi')).toString()).toBe('1536Mi');
    expect(Quantity.parse('1').sub(Quantity.parse('250m')).toString()).toBe('750m');
    expect(Quantity.fromMillis(1500).toString()).toBe('1500m');
    expect(Quantity.fromValue(2 * 1024 * 1024, 'BinarySI').toString()).toBe('2Mi');
  });

  it('rounds up to milli precision as SetDefaults_ResourceList does', () => {
    expect(Quantity.parse('100u').roundUpMilli().toString()).toBe('1m');
    expect(Quantity.parse('1500m').roundUpMilli().toString()).toBe('1500m');
    expect(Quantity.parse('+1').roundUpMilli().toString()).toBe('+1');
  });
});

describe('invalid quantities', () => {
  it.each([
    ['', ERR_FORMAT_WRONG],
    ['abc', ERR_FORMAT_WRONG],
    ['1.5.5', ERR_FORMAT_WRONG],
    ['1 ', ERR_FORMAT_WRONG],
    ['1Gb', ERR_FORMAT_WRONG],
    ['5mi', ERR_SUFFIX],
    ['1Kii', ERR_SUFFIX],
    ['1e', ERR_SUFFIX],
  ])('%j → %s', (input, message) => {
    expect(() => Quantity.parse(input)).toThrow(QuantityError);
    expect(() => Quantity.parse(input)).toThrow(message);
    expect(quantityError(input)).toBe(message);
  });

  it('words the format error as Kubernetes does', () => {
    expect(ERR_FORMAT_WRONG).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(quantityError({})).toBe(ERR_FORMAT_WRONG);
    expect(quantityError('1Gi')).toBeUndefined();
  });
});
