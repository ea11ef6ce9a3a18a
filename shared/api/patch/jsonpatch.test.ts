import { StatusError } from '../status';
import { applyJsonPatch, decodeJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './jsonpatch';
import type { JsonMap } from './smpdirectives';

/** fast-json-patch's refusal, which surfaces as the operation's error. */
const PROTO_BANNED =
  'JSON-Patch: modifying `__proto__` or `constructor/prototype` prop is banned for security reasons, if this was on purpose, please set `banPrototypeModifications` flag false and pass it to this function. More info in fast-json-patch README';

const doc = (): JsonMap => ({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { list: ['a', 'b', 'c'], obj: { k: 'v' } } });

function apply(ops: unknown): JsonMap {
  return applyJsonPatch(doc(), decodeJsonPatch(ops));
}

function failure(ops: unknown): StatusError {
  try {
    apply(ops);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('patch applied');
}

describe('applyJsonPatch', () => {
  test.each([
    { name: 'add a label', ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }], at: (d: JsonMap) => (d.metadata as JsonMap).labels, want: { app: 'web', tier: 'fe' } },
    { name: 'add with ~1 in the key', ops: [{ op: 'add', path: '/metadata/labels/example.com~1team', value: 'x' }], at: (d: JsonMap) => (d.metadata as JsonMap).labels, want: { app: 'web', 'example.com/team': 'x' } },
    { name: 'append with -', ops: [{ op: 'add', path: '/spec/list/-', value: 'd' }], at: (d: JsonMap) => (d.spec as JsonMap).list, want: ['a', 'b', 'c', 'd'] },
    { name: 'insert at an index', ops: [{ op: 'add', path: '/spec/list/1', value: 'x' }], at: (d: JsonMap) => (d.spec as JsonMap).list, want: ['a', 'x', 'b', 'c'] },
    { name: 'add at -1 counts from the new end (evanphx)', ops: [{ op: 'add', path: '/spec/list/-1', value: 'x' }], at: (d: JsonMap) => (d.spec as JsonMap).list, want: ['a', 'b', 'c', 'x'] },
    { name: 'add at -2', ops: [{ op: 'add', path: '/spec/list/-2', value: 'x' }], at: (d: JsonMap) => (d.spec as JsonMap).list, want: ['a', 'b', 'x', 'c'] },
    { name: 'remove from a list', ops: [{ op: 'remove', path: '/spec/list/0' }], at: (d: JsonMap) => (d.spec as JsonMap).list, want: ['b', 'c'] },
    { name: 'remove the last with -1', ops: [{ op: 'remove', path: '/spec/list/-1' }], at: (d: JsonMap) => (d.spec as JsonMap).list, want: ['a', 'b'] },
    { name: 'replace a missing object key adds it', ops: [{ op: 'replace', path: '/spec/obj/new', value: 1 }], at: (d: JsonMap) => (d.spec as JsonMap).obj, want: { k: 'v', new: 1 } },
    { name: 'move', ops: [{ op: 'move', from: '/spec/obj/k', path: '/spec/obj/m' }], at: (d: JsonMap) => (d.spec as JsonMap).obj, want: { m: 'v' } },
    { name: 'copy', ops: [{ op: 'copy', from: '/spec/list', path: '/spec/copy' }], at: (d: JsonMap) => (d.spec as JsonMap).copy, want: ['a', 'b', 'c'] },
    { name: 'test then replace', ops: [{ op: 'test', path: '/metadata/name', value: 'web' }, { op: 'replace', path: '/metadata/name', value: 'api' }], at: (d: JsonMap) => (d.metadata as JsonMap).name, want: 'api' },
    { name: 'test for absence with null', ops: [{ op: 'test', path: '/metadata/missing', value: null }], at: (d: JsonMap) => (d.metadata as JsonMap).missing, want: undefined },
    { name: 'add without a value sets null', ops: [{ op: 'add', path: '/spec/x' }], at: (d: JsonMap) => (d.spec as JsonMap).x, want: null },
    { name: 'a null body is no patch', ops: null, at: (d: JsonMap) => d, want: doc() },
  ])('$name', ({ ops, at, want }) => {
    expect(at(apply(ops))).toEqual(want);
  });

  test('does not modify its input', () => {
    const original = doc();
    applyJsonPatch(original, decodeJsonPatch([{ op: 'remove', path: '/spec' }]));
    expect(original).toEqual(doc());
  });
});

describe('applyJsonPatch errors (422, evanphx wording)', () => {
  test.each([
    { ops: [{ op: 'test', path: '/metadata/name', value: 'api' }], cause: 'testing value /metadata/name failed: test failed' },
    { ops: [{ op: 'test', path: '/metadata/missing', value: 'x' }], cause: 'testing value /metadata/missing failed: test failed' },
    { ops: [{ op: 'add', path: '/nope/deeper', value: 1 }], cause: 'add operation does not apply: doc is missing path: "/nope/deeper": missing value' },
    { ops: [{ op: 'remove', path: '/metadata/labels/nope' }], cause: "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value" },
    { ops: [{ op: 'remove', path: '/spec/list/7' }], cause: "error in remove for path: '/spec/list/7': Unable to access invalid index: 7: invalid index referenced" },
    { ops: [{ op: 'add', path: '/spec/list/x', value: 1 }], cause: `error in add for path: '/spec/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax` },
    { ops: [{ op: 'add', path: '/spec/list/9', value: 1 }], cause: "error in add for path: '/spec/list/9': Unable to access invalid index: 9: invalid index referenced" },
    { ops: [{ op: 'replace', path: '/nope/x', value: 1 }], cause: 'replace operation does not apply: doc is missing path: /nope/x: missing value' },
    { ops: [{ op: 'replace', path: '/spec/list/5', value: 1 }], cause: 'replace operation does not apply: doc is missing key: /spec/list/5: missing value' },
    { ops: [{ op: 'move', from: '/spec/obj/nope', path: '/spec/x' }], cause: "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value" },
    { ops: [{ op: 'move', path: '/spec/x' }], cause: 'move operation failed to decode from: operation, missing from field: missing value' },
    { ops: [{ op: 'copy', from: '/spec/list', path: '/nope/x' }], cause: 'copy operation does not apply: doc is missing destination path: /nope/x: missing value' },
    { ops: [{ op: 'add', value: 1 }], cause: 'add operation failed to decode path: missing value' },
    { ops: [{ op: 'add', path: '', value: 1 }], cause: 'add operation does not apply: doc is missing path: "": missing value' },
    { ops: [{ op: 'frobnicate', path: '/x' }], cause: 'Unexpected kind: frobnicate' },
    { ops: [{ path: '/x' }], cause: 'Unexpected kind: unknown' },
    { ops: [{ op: 'add', path: '/__proto__/x', value: 1 }], cause: 'add operation does not apply: doc is missing path: "/__proto__/x": missing value' },
    { ops: [{ op: 'add', path: '/__proto__', value: { polluted: true } }], cause: `error in add for path: '/__proto__': ${PROTO_BANNED}` },
  ])('$cause', ({ ops, cause }) => {
    const err = failure(ops);
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe('the server rejected our request due to an error in our request');
    expect(err.details?.causes).toEqual([{ reason: 'UnexpectedServerResponse', message: cause }]);
  });
});

describe('decodeJsonPatch errors', () => {
  test.each([
    { body: { op: 'add' }, code: 400, message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp' },
    { body: ['add'], code: 400, message: 'error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp' },
    { body: [{ op: 1, path: '/x' }], code: 400, message: 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string' },
    {
      body: Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a' })),
      code: 413,
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    },
  ])('$message', ({ body, code, message }) => {
    expect(failure(body)).toMatchObject({ code, message });
  });
});
