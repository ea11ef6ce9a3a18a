import type { KubeObject } from '../types';
import { deployments } from './deployment';
import { clone, create, show } from './testing';

function deployment(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

describe('Deployment defaults', () => {
  it('fills SetDefaults_Deployment and the template', () => {
    const d = deployment();
    deployments.defaults(d);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {} });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(d.spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(d.status).toBeUndefined();
  });

  it('leaves Recreate without rollingUpdate and keeps explicit values', () => {
    const d = deployment({ replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 0 });
    deployments.defaults(d);
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.revisionHistoryLimit).toBe(0);
  });

  it('is idempotent', () => {
    const d = deployment();
    deployments.defaults(d);
    const once = clone(d);
    deployments.defaults(d);
    expect(d).toEqual(once);
  });
});

describe('Deployment validation', () => {
  it.each<[string, KubeObject, string[]]>([
    ['valid', deployment(), []],
    ['negative replicas', deployment({ replicas: -1 }), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [
      'no selector',
      deployment({ selector: undefined }),
      ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      'empty selector',
      deployment({ selector: {} }),
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    ],
    ['selector mismatch', deployment({ selector: { matchLabels: { app: 'api' } } }), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
    [
      'restart policy',
      deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'b' }] } } }),
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    ['both zero', deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']],
    ['both zero percent', deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0']],
    [
      'bad percent',
      deployment({ strategy: { rollingUpdate: { maxSurge: '20Percent', maxUnavailable: '110%' } } }),
      [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"20Percent\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%',
      ],
    ],
    ['recreate with rollingUpdate', deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } }), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    ['progress deadline', deployment({ minReadySeconds: 700 }), ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']],
    ['template labels', deployment({ template: { metadata: { labels: { app: 'web', x: '-' } }, spec: { containers: [{ name: 'a', image: 'b' }] } } }), [expect.stringMatching(/^spec.template.labels: Invalid value: "-": a valid label must be/)]],
    ['template containers', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } }), ['spec.template.spec.containers: Required value']],
  ])('%s', (_name, obj, want) => {
    deployments.defaults(obj);
    expect(show(deployments.validate(obj))).toEqual(want);
  });

  it('keeps the selector immutable', () => {
    const old = deployment({}, { uid: 'u1' });
    deployments.defaults(old);
    const next = clone(old);
    next.spec.selector = { matchLabels: { app: 'web', v: '2' } };
    next.spec.template.metadata.labels.v = '2';
    deployments.defaults(next);
    expect(show(deployments.validateUpdate!(next, old))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable',
    ]);
    const scaled = clone(old);
    scaled.spec.replicas = 5;
    expect(deployments.validateUpdate!(scaled, old)).toEqual([]);
  });

  it('words the whole error as the apiserver does', () => {
    expect(create(deployments, deployment({ replicas: -1 }))).toBe('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });
});

describe('Deployment table', () => {
  it('prints READY UP-TO-DATE AVAILABLE AGE and the wide columns', () => {
    const d = deployment({ replicas: 3 }, { creationTimestamp: '2024-05-01T11:55:00Z' });
    d.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(deployments.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(deployments.row(d, new Date('2024-05-01T12:00:00Z'))).toEqual(['web', '2/3', 3, 2, '5m', 'app', 'nginx:1.25', 'app=web']);
  });
});
