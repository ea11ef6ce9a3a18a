/**
 * `kubeq demo autoscale` against a cluster of real processes at KUBEQ_TIME_SCALE=60, with a
 * short ramp: it creates its objects, prints the timeline as the HPA scales web up under the
 * load and back down after it, shows the rescale events, and ends with where the traces are.
 */
import { demoAutoscale, demoManifests, timelineLine, TIMELINE_HEADER } from '../../cli/demo';
import { startCluster, type TestCluster } from '../helpers/cluster';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster('{e2e-demo}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints', 'proxy', 'hpa'], { kubelet: { KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'node' }, proxy: { KUBEQ_DNS_PORT: '0' } }, '60');
}, 60_000);
afterAll(() => cluster?.stop());

test('the demo runs the story to the end and prints it', async () => {
  const lines: string[] = [];
  const code = await demoAutoscale(cluster.api, (l) => lines.push(l), { namespace: 'demo', peak: 30, rampSeconds: 30, holdSeconds: 60, everyMs: 250, timeoutMs: 60_000 });
  const text = lines.join('\n');
  expect(code).toBe(0);
  expect(lines).toEqual(expect.arrayContaining(['created namespace/demo', 'created deployment/web', 'created service/web', 'created horizontalpodautoscaler/web', 'created load/ramp', TIMELINE_HEADER]));
  // Up under the load (30 rps × 10m = 300m over 50 % of 100m: 6 pods), then back to 1.
  const replicas = lines.filter((l) => /^\s+\d+s\s/.test(l)).map((l) => Number(/\s(\d+)\/(\d+)/.exec(l.slice(16))?.[2] ?? 0));
  expect(Math.max(...replicas)).toBeGreaterThanOrEqual(4);
  expect(replicas[replicas.length - 1]).toBe(1);
  expect(text).toMatch(/SuccessfulRescale HorizontalPodAutoscaler\/web: New size: \d+; reason: cpu resource utilization \(percentage of request\) above target/);
  expect(text).toMatch(/SuccessfulRescale HorizontalPodAutoscaler\/web: New size: 1; reason: All metrics below target/);
  expect(lines[lines.length - 1]).toMatch(/^traces: kubeq trace horizontalpodautoscalers\/demo\/web/);

  // A second run starts over in a fresh namespace.
  const again: string[] = [];
  await demoAutoscale(cluster.api, (l) => again.push(l), { namespace: 'demo', peak: 30, rampSeconds: 30, holdSeconds: 60, everyMs: 250, timeoutMs: 1 });
  expect(again).toContain('deleting namespace demo from an earlier run…');
}, 120_000);

test('manifests and timeline lines', () => {
  const [ns, , , hpa, load] = demoManifests({ namespace: 'x', peak: 50, rampSeconds: 60, holdSeconds: 120 });
  expect(ns).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
  expect(hpa.spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 50 });
  expect(load.spec.rate.points).toEqual([[0, 2], [60, 50], [180, 50], [240, 2]]);
  expect(timelineLine({ clusterSeconds: 90, offered: 42, ready: 3, replicas: 5, desired: 5, cpu: 84, target: 50, nodes: 3, readyNodes: 2, pending: 2 })).toBe('   90s    42.0/s  3/5            84%/50%    2/3      2');
  expect(timelineLine({ clusterSeconds: 0, ready: 0, replicas: 1, desired: 2, target: 50, nodes: 1, readyNodes: 1, pending: 0 })).toBe('    0s         -  0/1 (want 2)   ?/50%      1        0');
});
