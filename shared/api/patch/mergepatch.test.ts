import { StatusError } from '../status';
import { applyMergePatchTo, decodeMergePatch } from './mergepatch';
import type { JsonMap } from './smpdirectives';

const doc = (): JsonMap => ({ metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } }, spec: { replicas: 1, containers: [{ name: 'a', image: 'x' }] } });

describe('applyMergePatchTo', () => {
  test.each([
    { name: 'null deletes a label', patch: { metadata: { labels: { tier: null } } }, want: { ...doc(), metadata: { name: 'web', labels: { app: 'web' } } } },
    { name: 'null deletes a whole map', patch: { metadata: { labels: null } }, want: { ...doc(), metadata: { name: 'web' } } },
    { name: 'scalars replace', patch: { spec: { replicas: 3 } }, want: { ...doc(), spec: { replicas: 3, containers: [{ name: 'a', image: 'x' }] } } },
    { name: 'lists replace whole', patch: { spec: { containers: [{ name: 'b' }] } }, want: { ...doc(), spec: { replicas: 1, containers: [{ name: 'b' }] } } },
    { name: 'nulls inside a replacing list are pruned', patch: { spec: { containers: [{ name: 'b', image: null }] } }, want: { ...doc(), spec: { replicas: 1, containers: [{ name: 'b' }] } } },
    { name: 'nulls inside a new map are dropped', patch: { status: { ready: true, gone: null } }, want: { ...doc(), status: { ready: true } } },
    { name: 'empty patch is identity', patch: {}, want: doc() },
  ])('$name', ({ patch, want }) => {
    const original = doc();
    expect(applyMergePatchTo(original, decodeMergePatch(patch))).toEqual(want);
    expect(original).toEqual(doc());
  });
});

describe('decodeMergePatch errors', () => {
  test.each([
    { body: null, message: 'Invalid JSON Patch' },
    { body: [1], message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { body: 'x', message: 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}' },
    { body: { metadata: { labels: { constructor: 'x' } } }, message: 'error decoding patch: merge patch key "constructor" is not supported' },
  ])('$message', ({ body, message }) => {
    let thrown: unknown;
    try {
      decodeMergePatch(body);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StatusError);
    expect(thrown).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});
