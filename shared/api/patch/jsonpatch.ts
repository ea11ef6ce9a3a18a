/**
 * RFC 6902 JSON patch (`application/json-patch+json`) as the apiserver applies it: the body is
 * decoded like handlers.jsonPatchOp (400 on a bad shape), at most 10000 operations (413), then
 * each operation runs with gopkg.in/evanphx/json-patch.v4 semantics; the first failing one fails
 * the whole patch with a 422.
 */
import { _areEquals } from 'fast-json-patch';
import { badRequest, type StatusError } from '../status';
import { patchRejected, tooManyOperations } from './errors';
import { unmarshalTypeError } from './gofmt';
import { addAt, findObject, getAt, PointerError, removeAt, setAt, type Target } from './jsonpointer';
import type { Json, JsonMap } from './smpdirectives';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** One decoded operation; absent string fields are undefined, `value` is kept only if present. */
export interface JsonPatchOperation {
  readonly op?: string;
  readonly path?: string;
  readonly from?: string;
  readonly value?: Json;
  readonly hasValue: boolean;
}

/** Checks a decoded body's shape. Throws 400 (wrong JSON types) or 413 (too many operations). */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (body === null) return [];
  if (!Array.isArray(body)) throw decodeError(unmarshalTypeError(body, '[]handlers.jsonPatchOp'));
  const ops = body.map(decodeOperation);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyOperations(MAX_JSON_PATCH_OPERATIONS, ops.length);
  return ops;
}

function decodeOperation(item: unknown): JsonPatchOperation {
  if (item === null) return { hasValue: false };
  if (typeof item !== 'object' || Array.isArray(item)) throw decodeError(unmarshalTypeError(item, 'handlers.jsonPatchOp'));
  const raw = item as Record<string, unknown>;
  const text = (field: 'op' | 'path' | 'from'): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw decodeError(unmarshalTypeError(value, 'string', `jsonPatchOp.${field}`));
    return value;
  };
  return { op: text('op'), path: text('path'), from: text('from'), value: raw.value as Json, hasValue: Object.hasOwn(raw, 'value') };
}

function decodeError(message: string): StatusError {
  return badRequest(`error decoding patch: ${message}`);
}

/** Applies `ops` to a copy of `doc`. Throws 422 with evanphx's wording on the first failure. */
export function applyJsonPatch(doc: JsonMap, ops: readonly JsonPatchOperation[]): JsonMap {
  const out = structuredClone(doc);
  for (const op of ops) {
    const failure = runOperation(out, op);
    if (failure) throw patchRejected(failure);
  }
  return out;
}

type Runner = (doc: JsonMap, op: JsonPatchOperation) => string | undefined;

const RUNNERS: Record<string, Runner> = { add, remove, replace, move, test, copy };

/** Runs one operation in place; returns the error text when it does not apply. */
function runOperation(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  const kind = op.op ?? 'unknown';
  const runner = Object.hasOwn(RUNNERS, kind) ? RUNNERS[kind] : undefined;
  if (!runner) return `Unexpected kind: ${kind}`;
  try {
    return runner(doc, op);
  } catch (err) {
    if (err instanceof PointerError) return err.message;
    throw err;
  }
}

const MISSING_PATH = 'operation missing path field: missing value';
const MISSING_FROM = 'operation, missing from field: missing value';

function add(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  if (op.path === undefined) return 'add operation failed to decode path: missing value';
  const target = findObject(doc, op.path);
  if (!target) return `add operation does not apply: doc is missing path: "${op.path}": missing value`;
  return wrap(`error in add for path: '${op.path}'`, () => addAt(target, structuredClone(op.value ?? null)));
}

function remove(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  if (op.path === undefined) return 'remove operation failed to decode path: missing value';
  const target = findObject(doc, op.path);
  if (!target) return `remove operation does not apply: doc is missing path: "${op.path}": missing value`;
  return wrap(`error in remove for path: '${op.path}'`, () => removeAt(target));
}

function replace(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  if (op.path === undefined) return `replace operation failed to decode path: ${MISSING_PATH}`;
  const target = findObject(doc, op.path);
  if (!target) return `replace operation does not apply: doc is missing path: ${op.path}: missing value`;
  if (wrap('', () => getAt(target)) !== undefined) return `replace operation does not apply: doc is missing key: ${op.path}: missing value`;
  return wrap(`error in remove for path: '${op.path}'`, () => setAt(target, structuredClone(op.value ?? null)));
}

function move(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  if (op.from === undefined) return `move operation failed to decode from: ${MISSING_FROM}`;
  const source = findObject(doc, op.from);
  if (!source) return `move operation does not apply: doc is missing from path: ${op.from}: missing value`;
  let value: Json | undefined;
  const failed = wrap(`error in move for path: '${source.key}'`, () => {
    value = getAt(source);
    removeAt(source);
  });
  if (failed) return failed;
  if (op.path === undefined) return `move operation failed to decode path: ${MISSING_PATH}`;
  const target = findObject(doc, op.path);
  if (!target) return `move operation does not apply: doc is missing destination path: ${op.path}: missing value`;
  return wrap(`error in move for path: '${op.path}'`, () => addAt(target, value ?? null));
}

function copy(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  if (op.from === undefined) return `copy operation failed to decode from: ${MISSING_FROM}`;
  const source = findObject(doc, op.from);
  if (!source) return `copy operation does not apply: doc is missing from path: ${op.from}: missing value`;
  let value: Json | undefined;
  const failed = wrap(`error in copy for from: '${op.from}'`, () => (value = getAt(source)));
  if (failed) return failed;
  if (op.path === undefined) return 'copy operation failed to decode path: missing value';
  const target = findObject(doc, op.path);
  if (!target) return `copy operation does not apply: doc is missing destination path: ${op.path}: missing value`;
  return wrap('error while adding value during copy', () => addAt(target, structuredClone(value ?? null)));
}

function test(doc: JsonMap, op: JsonPatchOperation): string | undefined {
  if (op.path === undefined) return `test operation failed to decode path: ${MISSING_PATH}`;
  const target: Target | undefined = findObject(doc, op.path);
  if (!target) return `test operation does not apply: is missing path: ${op.path}: missing value`;
  let actual: Json | undefined;
  const failed = wrap(`error in test for path: '${op.path}'`, () => (actual = getAt(target)));
  if (failed) return failed;
  const expected = op.hasValue ? (op.value ?? null) : undefined;
  const passes = actual === undefined || actual === null ? expected === undefined || expected === null : expected !== undefined && _areEquals(actual, expected);
  return passes ? undefined : `testing value ${op.path} failed: test failed`;
}

/** Runs `step`; a PointerError becomes `<context>: <its text>` (Go's errors.Wrapf). */
function wrap(context: string, step: () => unknown): string | undefined {
  try {
    step();
    return undefined;
  } catch (err) {
    if (!(err instanceof PointerError)) throw err;
    return context ? `${context}: ${err.message}` : err.message;
  }
}
