import type { KubeObject } from '../types';
import { pods } from './pod';
import { clone, show, update } from './testing';

function stored(): KubeObject {
  const p: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], activeDeadlineSeconds: 100 },
  };
  pods.defaults(p);
  return p;
}

const FORBIDDEN =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

describe('Pod updates', () => {
  it.each<[string, (p: KubeObject) => void, string[]]>([
    ['image change', (p) => (p.spec.containers[0].image = 'nginx:1.26'), []],
    ['lower active deadline', (p) => (p.spec.activeDeadlineSeconds = 50), []],
    ['add a toleration', (p) => p.spec.tolerations.push({ key: 'b', operator: 'Exists' }), []],
    ['change toleration seconds', (p) => (p.spec.tolerations[0].tolerationSeconds = 60), []],
    ['labels', (p) => (p.metadata.labels = { app: 'web' }), []],
    ['raise active deadline', (p) => (p.spec.activeDeadlineSeconds = 200), ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']],
    ['remove active deadline', (p) => delete p.spec.activeDeadlineSeconds, ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']],
    ['remove a toleration', (p) => (p.spec.tolerations = []), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']],
    ['add a container', (p) => p.spec.containers.push({ name: 'b', image: 'x' }), ['spec.containers: Forbidden: pod updates may not add or remove containers']],
    ['rename', (p) => (p.metadata.name = 'other'), ['metadata.name: Invalid value: "other": field is immutable']],
  ])('%s', (_name, change, want) => {
    const old = stored();
    const next = clone(old);
    change(next);
    pods.defaults(next);
    expect(show(pods.validateUpdate!(next, old))).toEqual(want);
  });

  it('lets a binding set nodeName once', () => {
    const old = stored();
    const bound = clone(old);
    bound.spec.nodeName = 'node-1';
    expect(pods.validateUpdate!(bound, old)).toEqual([]);
    const moved = clone(bound);
    moved.spec.nodeName = 'node-2';
    expect(update(pods, moved, bound)).toContain('+ \tNodeName: "node-2",');
  });

  it('refuses other spec changes with upstream wording and a diff', () => {
    const old = stored();
    const next = clone(old);
    next.spec.hostname = 'web-0';
    const message = update(pods, next, old);
    expect(message.startsWith(`Pod "web" is invalid: ${FORBIDDEN}`)).toBe(true);
    expect(message).toContain('+ \tHostname: "web-0",');
  });
});
