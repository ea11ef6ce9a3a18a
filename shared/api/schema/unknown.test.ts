import { pruneUnknownFields, unknownFields } from './unknown';
import { modelModule, validatorFor } from './validators';

function deployment(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { anything: 'goes' }, annotations: { 'a/b': 'c' }, managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          nodeSelector: { disk: 'ssd' },
          containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, livenessProbe: { httpGet: { port: 'http' } } }],
        },
      },
    },
    status: { replicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

describe('unknownFields', () => {
  it('accepts a fully known object, maps, int-or-string and free-form fields', () => {
    expect(unknownFields(deployment(), 'apps/v1', 'Deployment')).toEqual([]);
  });

  it.each<[string, (d: Record<string, any>) => void, string[]]>([
    ['top level', (d) => (d.foo = 1), ['foo']],
    ['spec', (d) => (d.spec.foo = 1), ['spec.foo']],
    ['metadata', (d) => (d.metadata.bogus = 'x'), ['metadata.bogus']],
    ['container', (d) => (d.spec.template.spec.containers[0].imagePullPolice = 'Always'), ['spec.template.spec.containers[0].imagePullPolice']],
    ['nested list', (d) => (d.spec.template.spec.containers[0].ports[0].bad = true), ['spec.template.spec.containers[0].ports[0].bad']],
    ['strategy', (d) => (d.spec.strategy.rollingUpdate.maxSurgee = 1), ['spec.strategy.rollingUpdate.maxSurgee']],
    ['status', (d) => (d.status.conditions[0].extra = 1), ['status.conditions[0].extra']],
    ['whole unknown subtree reported once', (d) => (d.spec.extra = { a: { b: 1 } }), ['spec.extra']],
    [
      'document order',
      (d) => {
        d.spec.zeta = 1;
        d.metadata.alpha = 1;
      },
      ['metadata.alpha', 'spec.zeta'],
    ],
  ])('%s', (_name, change, want) => {
    const d = deployment();
    change(d);
    expect(unknownFields(d, 'apps/v1', 'Deployment')).toEqual(want);
  });

  it('knows every served kind', () => {
    for (const [apiVersion, kind] of [['v1', 'Pod'], ['v1', 'Node'], ['v1', 'Namespace'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Event'], ['apps/v1', 'ReplicaSet'], ['coordination.k8s.io/v1', 'Lease']]) {
      expect([kind, typeof validatorFor(apiVersion, kind)]).toEqual([kind, 'function']);
      expect(unknownFields({ apiVersion, kind, metadata: { name: 'x' }, nope: 1 }, apiVersion, kind)).toEqual(['nope']);
    }
    expect(unknownFields({ apiVersion: 'v1', kind: 'ConfigMap', data: { any: 'key' }, binaryData: { k: 'AA==' } }, 'v1', 'ConfigMap')).toEqual([]);
    expect(unknownFields({ apiVersion: 'v1', kind: 'Secret', stringData: { a: 'b' }, type: 'Opaque' }, 'v1', 'Secret')).toEqual([]);
  });

  it('returns nothing for kinds without a schema or malformed names', () => {
    expect(unknownFields({ foo: 1 }, 'example.com/v1', 'Widget')).toEqual([]);
    expect(modelModule('../../etc', 'Pod')).toBeUndefined();
    expect(modelModule('v1', 'pod')).toBeUndefined();
    expect(unknownFields(null, 'v1', 'Pod')).toEqual([]);
  });
});

describe('pruneUnknownFields', () => {
  it('removes exactly the unknown fields, in place', () => {
    const d = deployment();
    d.spec.foo = 1;
    d.spec.template.spec.containers[0].imagePullPolice = 'x';
    const want = deployment();
    expect(pruneUnknownFields(d, 'apps/v1', 'Deployment')).toEqual(['spec.template.spec.containers[0].imagePullPolice', 'spec.foo']);
    expect(d).toEqual(want);
  });
});
