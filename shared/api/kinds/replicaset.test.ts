import type { KubeObject } from '../types';
import { replicasets } from './replicaset';
import { clone, show } from './testing';

function rs(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d4f', namespace: 'default', creationTimestamp: '2024-05-01T09:00:00Z' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } }, ...spec },
  };
}

describe('ReplicaSet', () => {
  it('defaults replicas to 1 and the template', () => {
    const r = rs();
    replicasets.defaults(r);
    expect(r.spec.replicas).toBe(1);
    expect(r.spec.template.spec.restartPolicy).toBe('Always');
  });

  it.each<[string, KubeObject, string[]]>([
    ['valid', rs(), []],
    ['negative replicas', rs({ replicas: -2 }), ['spec.replicas: Invalid value: -2: must be greater than or equal to 0']],
    ['empty selector', rs({ selector: {} }), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
    ['mismatch', rs({ selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } }), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
  ])('%s', (_name, obj, want) => {
    replicasets.defaults(obj);
    expect(show(replicasets.validate(obj))).toEqual(want);
  });

  it('keeps the selector immutable', () => {
    const old = rs();
    replicasets.defaults(old);
    const next = clone(old);
    next.spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'v', operator: 'Exists' }] };
    next.spec.template.metadata.labels.v = '1';
    expect(show(replicasets.validateUpdate!(next, old))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"v","operator":"Exists"}]}: field is immutable',
    ]);
  });

  it('prints DESIRED CURRENT READY AGE and the wide columns', () => {
    const r = rs({ replicas: 3 });
    r.status = { replicas: 3, readyReplicas: 1 };
    expect(replicasets.columns.map((c) => c.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    expect(replicasets.row(r, new Date('2024-05-01T12:00:00Z'))).toEqual(['web-5d4f', 3, 3, 1, '3h', 'app', 'nginx', 'app=web']);
  });
});
