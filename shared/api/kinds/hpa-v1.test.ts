import { BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, hpaFromV1, hpaToV1, METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION } from './hpa-v1';

const v2 = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', annotations: { owner: 'team-a' } },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '100' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 30, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
  },
  status: {
    currentReplicas: 3,
    desiredReplicas: 4,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 84, averageValue: '84m' } } }],
    conditions: [{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  },
};

test('v2 → v1: the cpu target and reading as fields, the rest in the round-trip annotations', () => {
  const v1 = hpaToV1(v2);
  expect(v1.spec).toEqual({ scaleTargetRef: v2.spec.scaleTargetRef, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
  expect(v1.status).toEqual({ currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 84 });
  const a = v1.metadata.annotations!;
  expect(a.owner).toBe('team-a');
  expect(JSON.parse(a[METRIC_SPECS_ANNOTATION])).toEqual([{ type: 'Object', object: { target: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metricName: 'requests_per_second', targetValue: '100' } }]);
  expect(JSON.parse(a[METRIC_STATUSES_ANNOTATION])).toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 84, currentAverageValue: '84m' } }]);
  expect(JSON.parse(a[BEHAVIOR_ANNOTATION])).toEqual(v2.spec.behavior);
  expect(JSON.parse(a[CONDITIONS_ANNOTATION])).toEqual(v2.status.conditions);
});

test('v2 → v1 → v2 keeps everything; the v1 cpu metric comes after the others, as upstream orders it', () => {
  const back = hpaFromV1(hpaToV1(v2));
  expect(back.metadata.annotations).toEqual({ owner: 'team-a' });
  expect(back.spec.metrics).toEqual([v2.spec.metrics[1], v2.spec.metrics[0]]);
  expect(back.spec.behavior).toEqual(v2.spec.behavior);
  expect(back.status).toEqual(v2.status);
});

test('v1 without a cpu target or other metrics gets the 80 % default; a bad annotation is ignored', () => {
  const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x', annotations: { [METRIC_SPECS_ANNOTATION]: '{not json' } }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3 } };
  const stored = hpaFromV1(v1);
  expect(stored.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  expect(stored.metadata.annotations).toBeUndefined();
  expect(stored.apiVersion).toBe('autoscaling/v2');
});

test('a v1 cpu reading without the annotation becomes the v2 current metric', () => {
  const stored = hpaFromV1({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { maxReplicas: 3, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 42 } });
  expect(stored.status.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }]);
});
