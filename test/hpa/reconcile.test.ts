/** The HPA reconcile against a real store: the branches before any metric is read. */
import { storeEventRecorder } from '../../shared/events/recorder';
import { Cache } from '../../shared/informer/indexer';
import { LoadState } from '../../shared/load/state';
import { ResourceSamples } from '../../shared/resourcemetrics/samples';
import { reconcileHpa, type HpaDeps } from '../../workers/hpa/reconcile';
import { useStore } from '../controller-manager/util';

const fx = useStore();
const deps = (): HpaDeps => ({ store: fx.store, clock: fx.clock, samples: new ResourceSamples(fx.redis.client(), fx.store.keys.prefix), loads: new LoadState(fx.redis.client(), fx.store.keys.prefix), recorder: storeEventRecorder(fx.store, fx.clock, 'horizontal-pod-autoscaler'), history: new Map() });
const hpa = (min: number, max: number) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: min, maxReplicas: max } });
const deployment = (replicas: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
const status = async () => (await fx.store.get('horizontalpodautoscalers', 'default', 'web'))!.status;
const conditions = async () => Object.fromEntries((await status()).conditions.map((c: any) => [c.type, `${c.status} ${c.reason}`]));

test('no target: AbleToScale False, FailedGetScale, and it comes back in 15 s', async () => {
  await fx.store.create('horizontalpodautoscalers', hpa(1, 5));
  expect(await reconcileHpa('horizontalpodautoscalers/default/web', new Cache(), deps())).toEqual({ requeueAfter: 15_000 });
  expect((await status()).conditions[0]).toMatchObject({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments.apps "web" not found` });
});

test('above maxReplicas: scaled down to it, with upstream reason, without reading metrics', async () => {
  await fx.store.create('deployments', deployment(9));
  await fx.store.create('horizontalpodautoscalers', hpa(1, 5));
  await reconcileHpa('horizontalpodautoscalers/default/web', new Cache(), deps());
  expect((await fx.store.get('deployments', 'default', 'web'))!.spec.replicas).toBe(5);
  expect(await status()).toMatchObject({ currentReplicas: 9, desiredReplicas: 5, lastScaleTime: '2026-01-01T00:00:00Z' });
  expect((await conditions()).AbleToScale).toBe('True SucceededGetScale');
  const events = (await fx.store.list('events', { namespace: 'default' })).items.map((e) => e.message);
  expect(events).toEqual(['New size: 5; reason: Current number of replicas above Spec.MaxReplicas']);
});

test('a target at zero replicas: scaling disabled', async () => {
  await fx.store.create('deployments', deployment(0));
  await fx.store.create('horizontalpodautoscalers', hpa(1, 5));
  await reconcileHpa('horizontalpodautoscalers/default/web', new Cache(), deps());
  expect((await conditions()).ScalingActive).toBe('False ScalingDisabled');
  expect((await fx.store.get('deployments', 'default', 'web'))!.spec.replicas).toBe(0);
});

test('an AverageValue cpu target: 400m a pod against 200m doubles the replicas', async () => {
  await fx.store.create('deployments', deployment(2));
  await fx.store.create('horizontalpodautoscalers', {
    ...hpa(1, 10),
    spec: { ...hpa(1, 10).spec, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '200m' } } }] },
  });
  const hourAgo = '2025-12-31T23:00:00Z';
  const cache = new Cache();
  for (const name of ['web-a', 'web-b']) {
    cache.set(`pods/default/${name}`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] },
      status: { phase: 'Running', startTime: hourAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: hourAgo }] },
    });
  }
  const now = fx.clock.now().getTime();
  const samples = new ResourceSamples(fx.redis.client(), fx.store.keys.prefix);
  const pod = (name: string) => ({ namespace: 'default', name, timestamp: now, windowMs: 15_000, containers: [{ name: 'c', cpuMillis: 400, memoryBytes: 1, throttled: 0 }] });
  await samples.write({ name: 'n', timestamp: now, windowMs: 15_000, cpuMillis: 900, memoryBytes: 1 }, [pod('web-a'), pod('web-b')], []);
  await reconcileHpa('horizontalpodautoscalers/default/web', cache, deps());
  expect((await fx.store.get('deployments', 'default', 'web'))!.spec.replicas).toBe(4);
  expect((await status()).currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '400m' } } }]);
  expect((await conditions()).ScalingActive).toBe('True ValidMetricFound');
});

test('Pods and Object metrics from the simulated loads: requests_per_second per pod and per Service; the larger proposal wins', async () => {
  await fx.store.create('deployments', deployment(2));
  await fx.store.create('horizontalpodautoscalers', {
    ...hpa(1, 10),
    spec: {
      ...hpa(1, 10).spec,
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '20' } } },
      ],
    },
  });
  const hourAgo = '2025-12-31T23:00:00Z';
  const cache = new Cache();
  for (const name of ['web-a', 'web-b']) {
    cache.set(`pods/default/${name}`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running', startTime: hourAgo, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: hourAgo }] } });
  }
  const loads = new LoadState(fx.redis.client(), fx.store.keys.prefix);
  const until = Date.now() + 60_000;
  // 15 and 25 rps: 20 a pod against 10 → 4 pods; the Service's 40 against 20 over 2 ready pods → 4 as well; 45 → ceil(2.25 × 2) = 5.
  await loads.write({ namespace: 'default', name: 'l', service: 'web' }, new Map([['web-a', { rps: 15, cpuMillis: 0, memoryBytes: 0, port: 80, until }], ['web-b', { rps: 25, cpuMillis: 0, memoryBytes: 0, port: 80, until }]]), { offered: 45, served: 40, until });
  await reconcileHpa('horizontalpodautoscalers/default/web', cache, deps());
  expect((await fx.store.get('deployments', 'default', 'web'))!.spec.replicas).toBe(5);
  expect((await status()).currentMetrics).toEqual([
    { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, current: { averageValue: '20' } } },
    { type: 'Object', object: { metric: { name: 'requests_per_second' }, describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, current: { value: '45' } } },
  ]);
  const events = (await fx.store.list('events', { namespace: 'default' })).items.map((e) => e.message);
  expect(events).toEqual(['New size: 5; reason: Service metric requests_per_second above target']);
});

test('a metric kubeq cannot serve: ScalingActive False with the source type\'s reason, and no scale-down on the others', async () => {
  await fx.store.create('deployments', deployment(3));
  await fx.store.create('horizontalpodautoscalers', { ...hpa(1, 10), spec: { ...hpa(1, 10).spec, metrics: [{ type: 'Pods', pods: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '5' } } }] } });
  await reconcileHpa('horizontalpodautoscalers/default/web', new Cache(), deps());
  expect((await conditions()).ScalingActive).toBe('False FailedGetPodsMetric');
  expect((await status()).conditions.find((c: any) => c.type === 'ScalingActive').message).toBe('the HPA was unable to compute the replica count: failed to get pods metric value: unable to get metric queue_depth: kubeq serves the pods metric requests_per_second only');
});
