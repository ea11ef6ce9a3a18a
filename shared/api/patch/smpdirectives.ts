/**
 * Strategic merge patch vocabulary: the directive keys, the error type and the small value
 * helpers the merge shares (k8s.io/apimachinery/pkg/util/strategicpatch and .../mergepatch).
 */
import { goFormat, goFormatString, goTypeName } from './gofmt';

export type Json = null | boolean | number | string | Json[] | JsonMap;
export interface JsonMap {
  [key: string]: Json;
}

export const DIRECTIVE = '$patch';
export const DELETE = 'delete';
export const REPLACE = 'replace';
export const MERGE = 'merge';
export const RETAIN_KEYS = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * A strategic merge failure. `status` is how the apiserver answers it
 * (handlers/patch.go interpretStrategicMergePatchError): 400 for malformed directives, 422 for
 * lists of lists, and a reason-less 500 for every other plain error.
 */
export class SmpError extends Error {
  override name = 'SmpError';
  constructor(
    readonly status: 'BadRequest' | 'Invalid' | 'Unknown',
    message: string,
  ) {
    super(message);
  }
}

export const errNoListOfLists = (): SmpError => new SmpError('Invalid', 'lists of lists are not supported');
export const errBadPrimitiveList = (): SmpError => new SmpError('BadRequest', 'invalid patch format of primitive list');
export const errBadRetainKeys = (): SmpError => new SmpError('BadRequest', 'invalid patch format of retainKeys');
export const errBadSetElementOrder = (): SmpError => new SmpError('BadRequest', 'invalid patch format of setElementOrder list');

export function errNoMergeKey(map: Json, key: string): SmpError {
  return new SmpError('Unknown', `map: ${goFormat(map)} does not contain declared merge key: ${key}`);
}

export function errBadArgType(expected: 'map' | 'slice', actual: Json | undefined): SmpError {
  const want = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return new SmpError('Unknown', `expected a ${want}, but received a ${goTypeName(actual)}`);
}

export function errBadPatchType(directive: Json, map: JsonMap): SmpError {
  return new SmpError('Unknown', `unknown patch type: ${goFormatString(directive)} in map: ${goFormat(map)}`);
}

export function unknownError(message: string): SmpError {
  return new SmpError('Unknown', message);
}

/** The Go kind a decoded value has as far as merging cares. */
export function kindOf(value: Json | undefined): 'map' | 'slice' | 'scalar' | 'nil' {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return 'slice';
  return typeof value === 'object' ? 'map' : 'scalar';
}

export function isMap(value: Json | undefined): value is JsonMap {
  return kindOf(value) === 'map';
}

export function hasOwn(map: JsonMap, key: string): boolean {
  return Object.hasOwn(map, key);
}

/** Sets an own property, `__proto__` included, without touching the prototype chain. */
export function put(map: JsonMap, key: string, value: Json): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A key under which Go's `==` on interface values would call two scalars equal. */
export function identity(value: Json | undefined): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'object') return `o:${JSON.stringify(value)}`;
  return `${typeof value}:${String(value)}`;
}

/** `$setElementOrder/containers` → `containers`; malformed keys are 400s. */
export function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPrimitiveList();
    if (prefix === SET_ELEMENT_ORDER) throw errBadSetElementOrder();
    throw unknownError(`fail to find unknown prefix ${JSON.stringify(prefix)} in ${key}`);
  }
  return key.slice(slash + 1);
}

/** The strategy besides `retainKeys` (upstream extractRetainKeysPatchStrategy); `''` when none. */
export function effectiveStrategy(strategies: readonly string[]): string {
  const others = strategies.filter((s) => s !== 'retainKeys');
  if (strategies.length > 2 || (strategies.length === 2 && others.length !== 1)) {
    throw unknownError(`unexpected patch strategy: [${strategies.join(' ')}]`);
  }
  return others[0] ?? '';
}

/**
 * `$retainKeys`: every non-null patch field must be listed, and fields of `original` that are
 * not listed are cleared. Removes the directive from `patch`.
 */
export function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadRetainKeys();
  const retained = new Set(list.map(identity));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(identity(key))) throw errBadRetainKeys();
  }
  for (const key of Object.keys(original)) if (!retained.has(identity(key))) delete original[key];
}

/**
 * Patch content that lands in the result without being merged (a new field, a new list element,
 * a replaced value), cleaned as upstream's typed round-trip would leave it: maps carrying a
 * `$patch` directive are dropped, nulls are dropped, and parallel-list directives are removed.
 * Returns undefined when the value itself is to be dropped.
 */
export function sanitize(value: Json): Json | undefined {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const clean = sanitize(item);
      return clean === undefined ? [] : [clean];
    });
  }
  if (!isMap(value)) return value;
  if (hasOwn(value, DIRECTIVE)) return undefined;
  const out: JsonMap = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || isDirectiveKey(key)) continue;
    const clean = sanitize(item);
    if (clean !== undefined) put(out, key, clean);
  }
  return out;
}

function isDirectiveKey(key: string): boolean {
  return key === RETAIN_KEYS || key.startsWith(`${SET_ELEMENT_ORDER}/`) || key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`);
}
