/** applyPatch: media-type dispatch and the Status errors each failure becomes. */
import { isStatusError, StatusError } from '../status';
import type { KubeObject } from '../types';
import { APPLY_PATCH, applyPatch, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from './index';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'p' } },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

const widget = (): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } });

function failure(run: () => unknown): StatusError {
  try {
    run();
  } catch (err) {
    if (isStatusError(err)) return err;
    throw err;
  }
  throw new Error('no error');
}

const BUILTIN_TYPES = 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json';

describe('applyPatch media types', () => {
  test.each([
    { name: 'server-side apply is not served', object: pod(), type: APPLY_PATCH, accepted: BUILTIN_TYPES },
    { name: 'plain JSON is not a patch type', object: pod(), type: 'application/json', accepted: BUILTIN_TYPES },
    { name: 'custom resources take no strategic merge', object: widget(), type: STRATEGIC_MERGE_PATCH, accepted: 'application/json-patch+json, application/merge-patch+json' },
  ])('$name', ({ object, type, accepted }) => {
    const err = failure(() => applyPatch(object, '{}', type));
    expect(err.toStatus()).toMatchObject({ code: 415, reason: 'UnsupportedMediaType', message: `the body of the request was in an unknown format - accepted media types include: ${accepted}` });
  });

  test('parameters after ; are ignored', () => {
    expect(applyPatch(pod(), '{"metadata":{"labels":{"x":"y"}}}', `${MERGE_PATCH}; charset=utf-8`).metadata.labels).toEqual({ app: 'p', x: 'y' });
  });

  test('custom resources take JSON and merge patches', () => {
    expect(applyPatch(widget(), [{ op: 'replace', path: '/spec/size', value: 2 }], JSON_PATCH).spec).toEqual({ size: 2 });
    expect(applyPatch(widget(), { spec: { size: 3 } }, MERGE_PATCH).spec).toEqual({ size: 3 });
  });

  test('bytes, strings and decoded bodies are all accepted', () => {
    const body = { metadata: { labels: { x: 'y' } } };
    for (const form of [Buffer.from(JSON.stringify(body)), JSON.stringify(body), body]) {
      expect(applyPatch(pod(), form, STRATEGIC_MERGE_PATCH).metadata.labels).toEqual({ app: 'p', x: 'y' });
    }
  });
});

describe('applyPatch bodies that do not decode (400)', () => {
  test.each([
    { type: JSON_PATCH, body: '[{"op":', message: 'error decoding patch: unexpected end of JSON input' },
    { type: MERGE_PATCH, body: "{'a':1}", message: "error decoding patch: invalid character '\\'' looking for beginning of object key string" },
    { type: STRATEGIC_MERGE_PATCH, body: 'spec: {}', message: "invalid character 's' looking for beginning of value" },
    { type: STRATEGIC_MERGE_PATCH, body: '[]', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
  ])('$type $body', ({ type, body, message }) => {
    expect(failure(() => applyPatch(pod(), body, type))).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});

describe('applyPatch strategic merge failures', () => {
  test.each([
    {
      name: 'missing merge key is a reason-less 500',
      body: { spec: { containers: [{ image: 'x' }] } },
      status: { code: 500, reason: '', message: 'map: map[image:x] does not contain declared merge key: name' },
    },
    {
      name: 'mixed list element types are a reason-less 500',
      body: { metadata: { finalizers: [['a']] } },
      before: (p: KubeObject) => (p.metadata.finalizers = ['b']),
      status: { code: 500, reason: '', message: 'list element types are not identical: [[b] [[a]]]' },
    },
    { name: 'malformed $retainKeys is a 400', body: { spec: { $retainKeys: 'x' } }, status: { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' } },
    {
      name: 'a list of lists is a 422',
      body: { metadata: { finalizers: [['a']] } },
      before: (p: KubeObject) => (p.metadata.finalizers = [['b']] as unknown as string[]),
      status: { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
    },
  ])('$name', ({ body, before, status }) => {
    const object = pod();
    before?.(object);
    expect(failure(() => applyPatch(object, body, STRATEGIC_MERGE_PATCH)).toStatus()).toMatchObject(status);
  });

  test('a null body changes nothing', () => {
    expect(applyPatch(pod(), 'null', STRATEGIC_MERGE_PATCH)).toEqual(pod());
  });
});

describe('applyPatch results', () => {
  test('never modifies the original', () => {
    const original = pod();
    const frozen = structuredClone(original);
    applyPatch(original, '{"metadata":{"labels":null},"spec":{"containers":[{"name":"c","image":"x"}]}}', STRATEGIC_MERGE_PATCH);
    applyPatch(original, '[{"op":"remove","path":"/spec/containers/0"}]', JSON_PATCH);
    applyPatch(original, '{"spec":null}', MERGE_PATCH);
    expect(original).toEqual(frozen);
  });

  test('apiVersion, kind and metadata survive removal, as a typed decode restores them', () => {
    const result = applyPatch(pod(), '[{"op":"remove","path":"/kind"},{"op":"remove","path":"/apiVersion"},{"op":"remove","path":"/metadata"}]', JSON_PATCH);
    expect(result).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: {} });
  });

  test('metadata that is not an object is a 422', () => {
    const err = failure(() => applyPatch(pod(), '{"metadata":"x"}', MERGE_PATCH));
    expect(err).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(err.message).toMatch(/^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta$/);
  });

  test('a Status error travels unchanged', () => {
    expect(failure(() => applyPatch(pod(), '[{"op":"test","path":"/metadata/name","value":"q"}]', JSON_PATCH))).toBeInstanceOf(StatusError);
  });
});
