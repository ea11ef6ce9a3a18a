/**
 * JSON pointer targets with the semantics and error texts of gopkg.in/evanphx/json-patch.v4,
 * the library the apiserver applies RFC 6902 patches with: negative array indices count from the
 * end, `replace` of a missing object key adds it, and each failure has its own wording.
 * The mutations themselves go through fast-json-patch (which also bans `__proto__` paths).
 */
import { applyOperation, escapePathComponent } from 'fast-json-patch';
import type { Json, JsonMap } from './smpdirectives';

/** A container and the key inside it that an operation addresses. */
export interface Target {
  /** The whole document, which fast-json-patch resolves `pointer` against. */
  readonly root: JsonMap;
  readonly parent: JsonMap | Json[];
  readonly key: string;
  /** Escaped pointer of `parent` within the document. */
  readonly pointer: string;
}

/** An evanphx container error; `message` is its text, to be wrapped by the operation. */
export class PointerError extends Error {
  override name = 'PointerError';
}

/** evanphx findObject: the parent of the last path segment, or undefined when it is missing. */
export function findObject(doc: JsonMap, path: string): Target | undefined {
  const segments = path.split('/');
  if (segments.length < 2) return undefined;
  let node: JsonMap | Json[] = doc;
  let pointer = '';
  for (const raw of segments.slice(1, -1)) {
    const part = decodeKey(raw);
    let next: Json | undefined;
    try {
      next = getAt({ root: doc, parent: node, key: part, pointer });
    } catch {
      return undefined;
    }
    if (next === undefined || next === null || typeof next !== 'object') return undefined;
    pointer += `/${Array.isArray(node) ? String(parseIndex(part)) : escapePathComponent(part)}`;
    node = next;
  }
  return { root: doc, parent: node, key: decodeKey(segments[segments.length - 1]), pointer };
}

/** The value at `target`: undefined when an object lacks the key, a PointerError for bad indices. */
export function getAt({ parent, key }: Target): Json | undefined {
  if (!Array.isArray(parent)) return Object.hasOwn(parent, key) ? parent[key] : undefined;
  const idx = parseIndex(key);
  if (idx < 0 || idx >= parent.length) throw invalidIndex(idx);
  return parent[idx];
}

/** Adds at `target`: sets an object key, inserts into an array (`-` appends). */
export function addAt(target: Target, value: Json): void {
  const { parent, key } = target;
  if (!Array.isArray(parent)) return mutate(target, 'add', key, value);
  if (key === '-') return mutate(target, 'add', '-', value);
  let idx: number;
  try {
    idx = parseIndex(key);
  } catch (err) {
    throw new PointerError(`value was not a proper array index: '${key}': ${(err as Error).message}`);
  }
  const size = parent.length + 1;
  if (idx >= size || idx < -size) throw invalidIndex(idx);
  mutate(target, 'add', String(idx < 0 ? idx + size : idx), value);
}

/** Removes at `target`; a missing object key or an out-of-range index is an error. */
export function removeAt(target: Target): void {
  const { parent, key } = target;
  if (!Array.isArray(parent)) {
    if (!Object.hasOwn(parent, key)) throw new PointerError(`Unable to remove nonexistent key: ${key}: missing value`);
    return mutate(target, 'remove', key);
  }
  const idx = parseIndex(key);
  if (idx >= parent.length || idx < -parent.length) throw invalidIndex(idx);
  mutate(target, 'remove', String(idx < 0 ? idx + parent.length : idx));
}

/** Replaces at `target` (the caller has checked that it exists, or that it is an object key). */
export function setAt(target: Target, value: Json): void {
  const key = Array.isArray(target.parent) ? String(parseIndex(target.key)) : target.key;
  mutate(target, 'replace', key, value);
}

function mutate(target: Target, op: 'add' | 'remove' | 'replace', key: string, value?: Json): void {
  const path = `${target.pointer}/${Array.isArray(target.parent) ? key : escapePathComponent(key)}`;
  try {
    applyOperation(target.root, op === 'remove' ? { op, path } : { op, path, value }, false, true, true);
  } catch (err) {
    throw new PointerError((err as Error).message);
  }
}

/** strconv.Atoi, with Go's error text. */
function parseIndex(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PointerError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number.parseInt(key, 10);
}

function invalidIndex(idx: number): PointerError {
  return new PointerError(`Unable to access invalid index: ${idx}: invalid index referenced`);
}

/** evanphx decodePatchKey: `~1` → `/`, then `~0` → `~`. */
function decodeKey(key: string): string {
  return key.replaceAll('~1', '/').replaceAll('~0', '~');
}
