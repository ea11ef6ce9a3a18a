/**
 * Probes and restarts through the real kubelet process (dist/workers/kubelet/main.js) against a
 * private Redis, at KUBEQ_TIME_SCALE=50 so a minute of back-off takes a bit over a second.
 * Each pod change is read from the store's change log, so no status the kubelet writes is missed.
 */
import { lookupResourceByName } from '../../shared/api/registry';
import type { KubeObject } from '../../shared/api/types';
import { Store } from '../../shared/store/store';
import { eventually } from '../helpers/eventually';
import { startRole, type RoleProcess } from '../helpers/processes';
import { startRedis, type TestRedis } from '../helpers/redis';

const PREFIX = '{kubelet-probes}';
const SCALE = 50;
let redis: TestRedis;
let store: Store;
let kubelet: RoleProcess;

beforeAll(async () => {
  redis = await startRedis();
  store = new Store(redis.client(), { prefix: PREFIX, resources: lookupResourceByName });
  kubelet = startRole('workers/kubelet/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_NODES: '1', KUBEQ_NODE_PREFIX: 'probe', KUBEQ_TIME_SCALE: String(SCALE) });
  await kubelet.waitFor(/kubelet: ready/);
}, 60_000);
afterAll(async () => {
  await kubelet?.stop();
  await redis?.stop();
});

function pod(name: string, container: object, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations: { 'sim.kubeq.io/start-delay': '1s', ...annotations } },
    spec: { nodeName: 'probe-0', restartPolicy: 'Always', containers: [{ name: 'app', image: 'registry.k8s.io/echoserver:2.5', ...container }] },
  };
}

/** Every stored version of the pod, from the change log. */
async function history(name: string): Promise<KubeObject[]> {
  const entries = await redis.client().xrange(`${PREFIX}:log`, '-', '+');
  return entries
    .map(([, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      return f;
    })
    .filter((f) => f.k === `pods/default/${name}` && f.o)
    .map((f) => JSON.parse(f.o));
}

const seconds = (from: string, to: string) => ((Date.parse(to) - Date.parse(from)) * SCALE) / 1000;
const ready = (p: KubeObject) => p.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;

test('a pod whose liveness probe fails restarts with growing back-off (CrashLoopBackOff) and the events say why', async () => {
  const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2, failureThreshold: 1 };
  await store.create('pods', pod('crashy', { livenessProbe: probe }, { 'sim.kubeq.io/fail-liveness': '10s-' }));
  const started = Date.now();
  const get = () => store.get('pods', 'default', 'crashy');
  const fourth = await eventually(async () => ((await get())?.status?.containerStatuses?.[0]?.restartCount >= 4 ? get() : undefined), 'four restarts', 30_000);
  // Runs of 10 s (killed at the probe at 10 s); restarts after 0, 10, 20, 40 s of back-off: 110 s of cluster time.
  expect(((Date.now() - started) * SCALE) / 1000).toBeGreaterThanOrEqual(105);
  const cs = fourth!.status.containerStatuses[0];
  expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  expect(seconds(cs.lastState.terminated.startedAt, cs.lastState.terminated.finishedAt)).toBeCloseTo(10, 1);

  const versions = await history('crashy');
  const gaps = versions
    .map((p) => p.status?.containerStatuses?.[0])
    .filter((c) => c?.state?.running && c.lastState?.terminated)
    .map((c) => [c.restartCount, Math.round(seconds(c.lastState.terminated.finishedAt, c.state.running.startedAt))]);
  // A kubelet that runs late catches up and may skip writing a run, never a back-off.
  const ladder: Record<number, number> = { 1: 0, 2: 10, 3: 20, 4: 40, 5: 80 };
  expect(gaps.length).toBeGreaterThanOrEqual(2);
  for (const [restartCount, gap] of gaps) expect([restartCount, gap]).toEqual([restartCount, ladder[restartCount]]);
  const waiting = versions.map((p) => p.status?.containerStatuses?.[0]?.state?.waiting).filter((w) => w?.reason === 'CrashLoopBackOff');
  expect(waiting.map((w) => w.message.split(' ')[1])).toEqual(expect.arrayContaining(['10s', '20s', '40s']));
  expect(versions.every((p) => !p.status?.phase || ['Pending', 'Running'].includes(p.status.phase))).toBe(true);

  const events = (await store.list('events', { namespace: 'default' })).items.filter((e) => e.involvedObject.name === 'crashy');
  const reasons = events.map((e) => `${e.reason}: ${e.message}`);
  expect(reasons).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500');
  expect(reasons).toContain('Killing: Container app failed liveness probe, will be restarted');
  expect(reasons).toContain(`BackOff: Back-off restarting failed container app in pod crashy_default(${fourth!.metadata.uid})`);
  expect(events[0].source).toEqual({ component: 'kubelet' });
}, 60_000);

test('a failing readiness probe flips Ready off and back without a restart', async () => {
  const probe = { tcpSocket: { port: 8080 }, periodSeconds: 2, failureThreshold: 2 };
  await store.create('pods', pod('flaky', { readinessProbe: probe }, { 'sim.kubeq.io/fail-readiness': '10s-20s' }));
  // Probes at 0, 2, … s: fail at 10 and 12 (unready at 12), pass again at 20.
  await eventually(async () => {
    const versions = await history('flaky');
    const flips = versions.map(ready).filter((r, i, all) => r && r !== all[i - 1]);
    return flips.join(',') === 'False,True,False,True' ? flips : undefined;
  }, 'Ready True → False → True', 30_000);
  const versions = await history('flaky');
  expect(versions.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) === 0)).toBe(true);
  const unready = versions.find((p, i) => i > 0 && ready(p) === 'False' && ready(versions[i - 1]) === 'True')!;
  const cs = unready.status.containerStatuses[0];
  expect(cs).toMatchObject({ ready: false, started: true, state: { running: {} } });
  const events = (await store.list('events', { namespace: 'default' })).items.filter((e) => e.involvedObject.name === 'flaky');
  expect(events.map((e) => e.message)).toEqual([`Readiness probe failed: dial tcp ${unready.status.podIP}:8080: connect: connection refused`]);
}, 60_000);
