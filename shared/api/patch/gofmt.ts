/**
 * Go's `fmt` rendering of decoded JSON values, so patch errors read as the Kubernetes
 * apiserver words them (`map: map[value:b] does not contain declared merge key: name`).
 * Integers render as Go's int64 (the apiserver decodes patches preserving ints), other
 * numbers as float64.
 */

/** `%v` of a decoded JSON value: `<nil>`, `map[a:1 b:x]` (keys sorted), `[1 2]`, `1.5e+06`. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${k}:${goFormat((value as Record<string, unknown>)[k])}`);
  return `map[${entries.join(' ')}]`;
}

/** `%s` of a decoded JSON value: strings as they are, anything else as Go's `%!s(type=value)`. */
export function goFormatString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(value)}=${goFormat(value)})`;
}

/** `reflect.TypeOf(v).String()` of a decoded JSON value, as Go's `%s` prints it. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    default:
      return 'map[string]interface {}';
  }
}

/** How encoding/json names a JSON value in `cannot unmarshal X into Go value of type T`. */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** encoding/json's message for a value of the wrong JSON type. */
export function unmarshalTypeError(value: unknown, goType: string, field?: string): string {
  const into = field ? `Go struct field ${field} of type ${goType}` : `Go value of type ${goType}`;
  return `json: cannot unmarshal ${jsonKind(value)} into ${into}`;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  // fmt's %v of a float64 is %g with the shortest digits: exponent form when exp < -4 || exp >= 6.
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = n.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}
