/**
 * Field paths and field errors worded as k8s.io/apimachinery/pkg/util/validation/field words
 * them: `spec.containers[0].image: Required value`, `spec.replicas: Invalid value: -1: must be
 * greater than or equal to 0`. Bad values print as the apiserver (1.34+) prints them: strings
 * quoted as Go's %q, numbers and booleans bare, anything structured as JSON (`goJSON`).
 */
import type { FieldError } from '../status';

/** `spec` + `containers` → `spec.containers`; an empty parent gives the child alone. */
export function child(path: string, ...names: string[]): string {
  return names.reduce((p, n) => (p ? `${p}.${n}` : n), path);
}

/** `spec.containers` + 0 → `spec.containers[0]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** `resources.limits` + `cpu` → `resources.limits[cpu]`. */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

/** A value printed verbatim in the message, e.g. Go's %#v of a struct or a Stringer. */
export class GoRaw {
  constructor(readonly text: string) {}
}

export function goRaw(text: string): GoRaw {
  return new GoRaw(text);
}

const NAMED_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote: printable characters as-is, others escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (NAMED_ESCAPES[ch]) out += NAMED_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** A field's value as text whatever JSON type it arrived as (objects as JSON), so checks never throw. */
export function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** A bad value as field.Error prints it. */
export function goValue(value: unknown): string {
  if (value instanceof GoRaw) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * A structured bad value as field.Error prints it since Kubernetes 1.34: Go's json.Marshal.
 * Objects keep insertion order (build structs in field order; pass maps through `sortedMap`,
 * as Go sorts map keys); `<`, `>` and `&` are escaped as Go escapes them.
 */
export function goJSON(value: unknown): GoRaw {
  const text = JSON.stringify(value === undefined ? null : value) ?? 'null';
  return new GoRaw(text.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`));
}

/** A map with its keys sorted, for `goJSON`; null stays null (a nil map prints `null`). */
export function sortedMap<T>(m: Record<string, T> | undefined | null): Record<string, T> | null {
  if (!m || typeof m !== 'object') return null;
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
}

/** Go's %#v of a []string, as messages that format it themselves print it. */
export function goStringSlice(list: unknown[] | undefined | null): string {
  if (!list) return '[]string(nil)';
  return `[]string{${list.map((v) => goQuote(asString(v))).join(', ')}}`;
}

function withDetail(body: string, detail: string): string {
  return detail ? `${body}: ${detail}` : body;
}

export function required(field: string, detail = ''): FieldError {
  return { field, type: 'FieldValueRequired', detail: withDetail('Required value', detail) };
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', detail: withDetail(`Invalid value: ${goValue(value)}`, detail) };
}

/** `Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`. */
export function notSupported(field: string, value: unknown, validValues: string[]): FieldError {
  const detail = validValues.length ? `supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return { field, type: 'FieldValueNotSupported', detail: withDetail(`Unsupported value: ${goValue(value)}`, detail) };
}

export function duplicate(field: string, value: unknown, detail = ''): FieldError {
  return { field, type: 'FieldValueDuplicate', detail: withDetail(`Duplicate value: ${goValue(value)}`, detail) };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', detail: withDetail('Forbidden', detail) };
}

/** `Too long: may not be more than 262144 bytes`. */
export function tooLong(field: string, maxBytes: number): FieldError {
  return { field, type: 'FieldValueTooLong', detail: `Too long: may not be more than ${maxBytes} ${maxBytes === 1 ? 'byte' : 'bytes'}` };
}

/**
 * `Not found: "data"`. Kubernetes' cause type is FieldValueNotFound, which FieldError's type does
 * not list yet; the cast keeps the wire value faithful.
 */
export function notFound(field: string, value: unknown, detail = ''): FieldError {
  return { field, type: 'FieldValueNotFound' as FieldError['type'], detail: withDetail(`Not found: ${goValue(value)}`, detail) };
}

/** Drops repeated messages, as field.ErrorList.ToAggregate does. */
export function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const msg = `${e.field}: ${e.detail}`;
    if (seen.has(msg)) return false;
    seen.add(msg);
    return true;
  });
}

/** `must be greater than or equal to 0` for a negative number; nothing otherwise. */
export function validateNonnegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** `must be between 1 and 65535, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}
