import { toMillis, toNumber } from '../../shared/api/quantity';
import type { KubeObject } from '../../shared/api/types';
import type { ChangeEvent } from '../../shared/store/changelog';
import { followChanges, type ChangeFollower } from '../helpers/changes';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/**
 * Requests and limits with real processes: 60 pods of varied cpu and memory requests (some set
 * by limits alone, some raised by an init container, three larger than any node) on three small
 * simulated nodes (KUBEQ_NODE_CPU=2, KUBEQ_NODE_MEMORY=2Gi). A watcher on the change log checks at
 * every change that no node holds pods requesting more than its status.allocatable; at the end
 * every pod that does not fit is Pending, unbound, with PodScheduled=False and the FitError the
 * final state calls for, word for word, as the scheduler would write it now.
 */
const PREFIX = '{e2e-requests}';
const NODES = ['small-0', 'small-1', 'small-2'];
let redis: TestRedis;
let api: ApiServerProcess;
let watcher: ChangeFollower;
const roles: RoleProcess[] = [];

interface Resources {
  cpu: number;
  memory: number;
}

/** The cluster as the watcher saw it: every pod and node by key, and the checks it made. */
const pods = new Map<string, KubeObject>();
const nodes = new Map<string, KubeObject>();
let checks = 0;

/** What a pod asks of its node (the scheduler's rule): the sum of its containers, or its largest init container if more. */
function requestsOf(pod: KubeObject): Resources {
  const of = (c: any): Resources => ({ cpu: toMillis(c.resources?.requests?.cpu ?? 0), memory: toNumber(c.resources?.requests?.memory ?? 0) });
  const sum = (pod.spec.containers as any[]).map(of).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }));
  for (const init of ((pod.spec.initContainers ?? []) as any[]).map(of)) {
    sum.cpu = Math.max(sum.cpu, init.cpu);
    sum.memory = Math.max(sum.memory, init.memory);
  }
  return sum;
}

const allocatableOf = (node: KubeObject): Resources & { pods: number } => {
  const a = node.status?.allocatable ?? {};
  return { cpu: toMillis(a.cpu ?? 0), memory: toNumber(a.memory ?? 0), pods: toNumber(a.pods ?? 0) };
};
const occupies = (pod: KubeObject) => pod.spec?.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** Requests of the pods on `node`, as the watcher has seen them. */
function usedOn(node: string): Resources & { pods: number } {
  const on = [...pods.values()].filter((p) => occupies(p) && p.spec.nodeName === node).map(requestsOf);
  return { cpu: on.reduce((s, r) => s + r.cpu, 0), memory: on.reduce((s, r) => s + r.memory, 0), pods: on.length };
}

function checkNode(name: string, revision: number): void {
  const node = nodes.get(name);
  if (!node) throw new Error(`revision ${revision}: a pod is bound to ${name}, which no watcher event created`);
  const used = usedOn(name);
  const alloc = allocatableOf(node);
  checks++;
  if (used.cpu > alloc.cpu || used.memory > alloc.memory || used.pods > alloc.pods) {
    throw new Error(`revision ${revision}: ${name} holds requests of ${JSON.stringify(used)} over its allocatable ${JSON.stringify(alloc)}`);
  }
}

function watch(change: ChangeEvent): void {
  const { object } = change;
  if (change.key.startsWith('nodes/')) {
    if (change.type === 'DELETED') nodes.delete(object.metadata.name!);
    else nodes.set(object.metadata.name!, object);
    if (change.type !== 'DELETED') checkNode(object.metadata.name!, change.revision);
  } else if (change.key.startsWith('pods/')) {
    const before = pods.get(change.key)?.spec?.nodeName;
    if (change.type === 'DELETED') pods.delete(change.key);
    else pods.set(change.key, object);
    for (const name of new Set([before, object.spec?.nodeName].filter(Boolean))) checkNode(name, change.revision);
  }
}

/**
 * The FitError the scheduler should write for `pod` in the current state, built here from the
 * rules (NodeResourcesFit's reasons per node, DefaultPreemption's verdict with every pod at priority 0).
 */
function expectedMessage(pod: KubeObject): string {
  const want = requestsOf(pod);
  const reasons: string[][] = [];
  const preemption: string[] = [];
  for (const name of NODES) {
    const alloc = allocatableOf(nodes.get(name)!);
    const used = usedOn(name);
    const node: string[] = [];
    if (used.pods + 1 > alloc.pods) node.push('Too many pods');
    if (want.cpu > alloc.cpu - used.cpu) node.push('Insufficient cpu');
    if (want.memory > alloc.memory - used.memory) node.push('Insufficient memory');
    reasons.push(node);
    preemption.push(want.cpu > alloc.cpu || want.memory > alloc.memory ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod');
  }
  if (reasons.some((r) => r.length === 0)) return '(fits a node)';
  const histogram = (all: string[]) => {
    const counts = new Map<string, number>();
    for (const r of all) counts.set(r, (counts.get(r) ?? 0) + 1);
    return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
  };
  return `0/3 nodes are available: ${histogram(reasons.flat())}. preemption: 0/3 nodes are available: ${histogram(preemption)}.`;
}

/** Pod i of 60: cpu 100m–940m and memory 64Mi–1Gi, spread by two co-prime strides; a few outliers. */
function podManifest(i: number): KubeObject {
  const cpu = `${100 + ((i * 137) % 850)}m`;
  const memory = `${64 + ((i * 211) % 960)}Mi`;
  const container: any = { name: 'app', image: 'app:1', resources: { requests: { cpu, memory }, limits: { cpu: '1', memory: '1Gi' } } };
  const spec: any = { containers: [container] };
  if (i % 10 === 0) container.resources = { limits: { cpu, memory } }; // requests default to limits
  if (i % 15 === 7) spec.initContainers = [{ name: 'init', image: 'init:1', resources: { requests: { cpu: '1500m', memory: '128Mi' } } }];
  if (i % 20 === 13) container.resources = { requests: { cpu: '3', memory: '256Mi' } }; // more cpu than any node has
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${String(i).padStart(2, '0')}`, labels: { app: 'sized' } }, spec };
}

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  watcher = await followChanges(redis.url, PREFIX, watch);
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' };
  roles.push(
    startRole('workers/controller-manager/main.js', env),
    startRole('workers/scheduler/main.js', env),
    startRole('workers/kubelet/main.js', { ...env, KUBEQ_NODES: '3', KUBEQ_NODE_PREFIX: 'small', KUBEQ_NODE_CPU: '2', KUBEQ_NODE_MEMORY: '2Gi' }),
  );
  await Promise.all([roles[0].waitFor(/controller-manager: ready/), roles[1].waitFor(/scheduler: ready/), roles[2].waitFor(/kubelet: ready/)]);
}, 60_000);
afterAll(async () => {
  await watcher?.stop().catch(() => undefined);
  await Promise.all(roles.map((r) => r.stop()));
  await api?.stop();
  await redis?.stop();
});

test('60 pods on 3 small nodes: requests never exceed allocatable at any change; the rest stay Pending with the upstream message', async () => {
  await eventually(async () => (NODES.every((n) => nodes.get(n)?.status?.allocatable) ? true : undefined), 'the watcher to see the three nodes', 20_000);
  expect(NODES.map((n) => nodes.get(n)!.status.allocatable)).toEqual(Array(3).fill(expect.objectContaining({ cpu: '2', memory: '2Gi' })));
  const created = await Promise.all(Array.from({ length: 60 }, (_, i) => api.call('POST', '/api/v1/namespaces/default/pods', podManifest(i))));
  expect(created.map((c) => c.status)).toEqual(Array(60).fill(201));
  expect(created[10].body.spec.containers[0].resources.requests).toEqual(podManifest(10).spec.containers[0].resources.limits);

  // Settled: every pod is bound, or Pending with the message the current state calls for.
  const condition = (p: KubeObject) => (p.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
  const unsettled = () => {
    watcher.check();
    const all = [...pods.values()].filter((p) => p.metadata.labels?.app === 'sized');
    if (all.length < 60) return [`${all.length} of 60 pods seen`];
    return all.filter((p) => !p.spec.nodeName && condition(p)?.message !== expectedMessage(p)).map((p) => `${p.metadata.name}: ${condition(p)?.message} ≠ ${expectedMessage(p)}`);
  };
  await eventually(async () => unsettled().length === 0, 'every pod bound or Pending with the expected message', 60_000, 200).catch((err: Error) => {
    throw new Error(`${err.message}:\n${unsettled().slice(0, 5).join('\n')}`);
  });
  await watcher.stop();

  const all = [...pods.values()];
  const bound = all.filter((p) => p.spec.nodeName);
  const pending = all.filter((p) => !p.spec.nodeName);
  expect(bound.length).toBeGreaterThan(10);
  expect(pending.length).toBeGreaterThan(10);
  for (const p of pending) {
    expect(p.status.phase).toBe('Pending');
    expect(condition(p)).toMatchObject({ status: 'False', reason: 'Unschedulable' });
  }
  for (const name of ['p13', 'p33', 'p53']) {
    expect(condition(pods.get(`pods/default/${name}`)!).message).toMatch(/ 3 Insufficient cpu.*preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.$/);
  }
  // Both resources ran out somewhere, and every node was checked on each of its changes.
  const messages = pending.map((p) => condition(p).message as string).join('\n');
  expect(messages).toContain('Insufficient memory');
  expect(messages).toContain('No preemption victims found for incoming pod');
  expect(checks).toBeGreaterThan(bound.length);
}, 150_000);
