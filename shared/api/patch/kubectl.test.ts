/**
 * The patches kubectl actually sends, applied to stored objects: `kubectl apply` (three-way
 * strategic merge with $setElementOrder), `kubectl patch`, `scale`, `label` and `annotate`.
 */
import type { KubeObject } from '../types';
import { applyPatch, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from './index';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function liveDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '0b1c',
      resourceVersion: '41',
      generation: 3,
      labels: { app: 'web', tier: 'frontend' },
      annotations: { [LAST_APPLIED]: '{"old":true}\n', 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              env: [{ name: 'MODE', value: 'prod' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              terminationMessagePath: '/dev/termination-log',
            },
            { name: 'log-agent', image: 'fluent-bit:3', terminationMessagePath: '/dev/termination-log' },
            { name: 'sidecar', image: 'envoy:1.30', terminationMessagePath: '/dev/termination-log' },
          ],
          restartPolicy: 'Always',
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      },
    },
    status: { observedGeneration: 3, replicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

/** What `kubectl apply` sends after the manifest bumps the image, adds LOG_LEVEL and drops the tier label. */
const applyPatchBody = JSON.stringify({
  metadata: { annotations: { [LAST_APPLIED]: '{"new":true}\n' }, labels: { tier: null } },
  spec: {
    template: {
      spec: {
        '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
        containers: [{ '$setElementOrder/env': [{ name: 'MODE' }, { name: 'LOG_LEVEL' }], env: [{ name: 'LOG_LEVEL', value: 'debug' }], image: 'nginx:1.27', name: 'web' }],
      },
    },
  },
});

describe('kubectl apply (strategic merge, three-way)', () => {
  test('changes one container, adds an env var, removes a label, keeps server-side fields', () => {
    const live = liveDeployment();
    const result = applyPatch(live, applyPatchBody, `${STRATEGIC_MERGE_PATCH}; charset=utf-8`);

    const expected = liveDeployment();
    expected.metadata.labels = { app: 'web' };
    expected.metadata.annotations = { [LAST_APPLIED]: '{"new":true}\n', 'deployment.kubernetes.io/revision': '3' };
    const web = expected.spec.template.spec.containers[0];
    web.image = 'nginx:1.27';
    web.env = [
      { name: 'MODE', value: 'prod' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ];
    expect(result).toEqual(expected);
    expect(live).toEqual(liveDeployment());
  });

  test('removing a container sends $patch: delete', () => {
    const body = {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } },
    };
    const result = applyPatch(liveDeployment(), body, STRATEGIC_MERGE_PATCH);
    expect(result.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'log-agent']);
  });

  test('replacing a container keeps an injected one before the newcomer, as upstream', () => {
    const body = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'proxy' }],
            containers: [{ name: 'proxy', image: 'haproxy:3' }, { $patch: 'delete', name: 'sidecar' }],
          },
        },
      },
    };
    const result = applyPatch(liveDeployment(), body, STRATEGIC_MERGE_PATCH);
    expect(result.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'log-agent', 'proxy']);
  });
});

describe('kubectl patch (strategic merge)', () => {
  test.each([
    {
      name: 'containers merge by name',
      body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:1.31' }] } } } },
      check: (d: KubeObject) => expect(d.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual(['nginx:1.25', 'fluent-bit:3', 'envoy:1.31']),
    },
    {
      name: 'tolerations are replaced',
      body: { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } },
      check: (d: KubeObject) => expect(d.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]),
    },
    {
      name: 'finalizers merge as a set',
      body: { metadata: { finalizers: ['example.com/b', 'example.com/a'] } },
      before: (d: KubeObject) => (d.metadata.finalizers = ['example.com/a']),
      check: (d: KubeObject) => expect(d.metadata.finalizers).toEqual(['example.com/b', 'example.com/a']),
    },
    {
      name: 'a finalizer is removed with $deleteFromPrimitiveList',
      body: { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a'] } },
      before: (d: KubeObject) => (d.metadata.finalizers = ['example.com/a', 'example.com/b']),
      check: (d: KubeObject) => expect(d.metadata.finalizers).toEqual(['example.com/b']),
    },
    {
      name: 'status conditions merge by type',
      body: { status: { conditions: [{ type: 'Progressing', status: 'True' }] } },
      check: (d: KubeObject) => expect(d.status.conditions.map((c: { type: string }) => c.type)).toEqual(['Progressing', 'Available']),
    },
    {
      name: 'strategy retainKeys drops rollingUpdate when switching to Recreate',
      body: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      check: (d: KubeObject) => expect(d.spec.strategy).toEqual({ type: 'Recreate' }),
    },
  ])('$name', ({ body, before, check }) => {
    const live = liveDeployment();
    before?.(live);
    check(applyPatch(live, JSON.stringify(body), STRATEGIC_MERGE_PATCH));
  });
});

describe('kubectl scale, label, annotate (merge patch)', () => {
  test('scale patches the Scale subresource object', () => {
    const scale: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } };
    expect(applyPatch(scale, '{"spec":{"replicas":5}}', MERGE_PATCH).spec).toEqual({ replicas: 5 });
  });

  test('label adds one label and removes another', () => {
    const result = applyPatch(liveDeployment(), '{"metadata":{"labels":{"env":"prod","tier":null}}}', MERGE_PATCH);
    expect(result.metadata.labels).toEqual({ app: 'web', env: 'prod' });
  });

  test('annotate overwrites an annotation', () => {
    const result = applyPatch(liveDeployment(), '{"metadata":{"annotations":{"deployment.kubernetes.io/revision":"4"}}}', MERGE_PATCH);
    expect(result.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
  });
});
