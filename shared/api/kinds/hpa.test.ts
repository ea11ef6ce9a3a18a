import type { KubeObject } from '../types';
import { deployments } from './deployment';
import { horizontalpodautoscalers as info, targetsCell } from './hpa';

const hpa = (spec: object, status?: object): KubeObject => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec, ...(status ? { status } : {}) });
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

test("upstream's defaults: minReplicas 1, cpu at 80 % without metrics, behavior filled only when given", () => {
  const bare = hpa({ scaleTargetRef: ref, maxReplicas: 5 });
  info.defaults(bare);
  expect(bare.spec).toEqual({ scaleTargetRef: ref, maxReplicas: 5, minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
  const withBehavior = hpa({ scaleTargetRef: ref, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
  info.defaults(withBehavior);
  expect(withBehavior.spec.behavior).toEqual({
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
});

test.each([
  [{ scaleTargetRef: ref, maxReplicas: 5 }, []],
  [{ scaleTargetRef: { name: 'web' }, maxReplicas: 5 }, ['spec.scaleTargetRef.kind: Required value']],
  [{ scaleTargetRef: ref, maxReplicas: 0 }, ['spec.maxReplicas: Invalid value: 0: must be greater than 0']],
  [{ scaleTargetRef: ref, minReplicas: 4, maxReplicas: 2 }, ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']],
  [{ scaleTargetRef: ref, minReplicas: 0, maxReplicas: 2 }, ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1']],
] as [object, string[]][])('validate(%j)', (spec, want) => {
  const obj = hpa(spec);
  info.defaults(obj);
  expect(info.validate(obj).map((e) => `${e.field}: ${e.detail}`)).toEqual(want);
});

test('TARGETS reads like kubectl get hpa: the reading over the target, <unknown> before one', () => {
  const spec = { scaleTargetRef: ref, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] };
  expect(targetsCell(hpa(spec))).toBe('cpu: <unknown>/60%');
  expect(targetsCell(hpa(spec, { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 84 } } }] }))).toBe('cpu: 84%/60%');
  const row = info.row(hpa(spec, { currentReplicas: 3 }), new Date());
  expect(row.slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/60%', '1', 5, 3]);
});

test('finalizer names are checked as for core and apps kinds (upstream uses core ValidateObjectMeta)', () => {
  const withFinalizer = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, finalizers: ['custom'] } });
  const obj = withFinalizer(hpa({ scaleTargetRef: ref, maxReplicas: 5 }));
  info.defaults(obj);
  const deployment = withFinalizer({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: {} });
  const finalizerErrors = (errs: { field: string; detail: string }[]) => errs.filter((e) => e.field.startsWith('metadata.finalizers'));
  expect(finalizerErrors(info.validate(obj))).toEqual(finalizerErrors(deployments.validate(deployment)));
  expect(finalizerErrors(info.validate(obj))).not.toEqual([]);
});
