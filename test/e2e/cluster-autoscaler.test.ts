/**
 * The cluster autoscaler with every role as a real process at KUBEQ_TIME_SCALE=60 (10 min of
 * cluster time is 10 s): pending pods make the node group that fits them grow, within its max,
 * after its provisioning delay, and the pods schedule on the new nodes; idle nodes go after the
 * unneeded time; a PodDisruptionBudget keeps a node whose pod it protects until it is relaxed.
 */
import { parse as parseYaml } from 'yaml';
import { lastTraceIdFor, readTrace } from '../../shared/tracing/sink';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';

const PREFIX = '{e2e-ca}';
const GROUPS = [
  { name: 'general', min: 0, max: 5, cpu: '2', memory: '4Gi', zone: 'zone-a', provisioningDelay: '60s' },
  { name: 'ssd', min: 0, max: 2, cpu: '2', memory: '4Gi', labels: { disktype: 'ssd' }, taints: 'dedicated=ssd:NoSchedule', zone: 'zone-b', provisioningDelay: '60s' },
];
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster(
    PREFIX,
    ['controller-manager', 'scheduler', 'kubelet', 'cluster-autoscaler'],
    {
      // One small static node (not in any group): too small for the pods below.
      kubelet: { KUBEQ_NODES: '1', KUBEQ_NODE_PREFIX: 'node', KUBEQ_NODE_CPU: '500m' },
      'cluster-autoscaler': { KUBEQ_NODE_GROUPS: JSON.stringify(GROUPS), KUBEQ_CA_EXPANDER: 'least-waste' },
    },
    '60',
  );
}, 60_000);
afterAll(() => cluster?.stop());

const get = async (path: string) => (await cluster.api.call('GET', path)).body;
const nodeNames = async () => ((await get('/api/v1/nodes')).items as any[]).map((n) => n.metadata.name as string).sort();
const podsOf = async (app: string) => ((await get(`/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).items as any[]).filter((p) => !p.metadata.deletionTimestamp);
const events = async (namespace: string, reason: string) => ((await get(`/api/v1/namespaces/${namespace}/events`)).items as any[]).filter((e) => e.reason === reason);
const machines = async () => Object.values(await cluster.redis.client().hgetall(`${PREFIX}cloud:machines`)).map((m) => JSON.parse(m));
const groupStatus = async (group: string) => {
  const cm = await get('/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status');
  return cm.data ? (parseYaml(cm.data.status).nodeGroups as any[]).find((g) => g.name === group) : undefined;
};

/** The `name` span of the trace that last touched `objectKey`, once the sink has it. */
async function spanOf(objectKey: string, name: string): Promise<any> {
  return eventually(async () => {
    const traceId = await lastTraceIdFor(cluster.redis.client(), PREFIX, objectKey);
    return traceId ? (await readTrace(cluster.redis.client(), PREFIX, traceId)).find((s) => s.name === name) : undefined;
  }, `a ${name} span in the trace of ${objectKey}`, 20_000, 200);
}

function deployment(name: string, replicas: number, cpu: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.27', resources: { requests: { cpu } } }], terminationGracePeriodSeconds: 5, ...spec } },
    },
  };
}

test('pending pods grow the group that fits them, within its max, after the provisioning delay; idle nodes go after the unneeded time', async () => {
  const { api } = cluster;
  // 3 pods of 1.2 cpu that need an ssd node: only the ssd group fits them (labels and taint); it stops at its max of 2.
  const fast = deployment('fast', 3, '1200m', { nodeSelector: { disktype: 'ssd' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' }] });
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', fast)).status).toBe(201);

  // The ReplicaSet creates the pods one by one: the autoscaler may see them in one pass or several, so one scale-up 0->2 or 0->1 then 1->2.
  const asked = await eventually(async () => {
    const m = await machines();
    return m.length === 2 ? m : undefined;
  }, 'two ssd machines', 30_000, 200);
  const triggeredAll = await eventually(async () => {
    const evs = await events('default', 'TriggeredScaleUp');
    return evs.length >= 2 ? evs : undefined;
  }, 'a TriggeredScaleUp event for each pod the two new nodes take', 30_000, 200);
  for (const e of triggeredAll) expect(e.message).toMatch(/^pod triggered scale-up: \[\{ssd [01]->[12] \(max: 2\)\}\]$/);
  const triggered = triggeredAll[0];
  expect(triggered.source.component).toBe('cluster-autoscaler');
  // The decision is a span with the numbers behind it: every group's verdict and the expander's scores.
  const decision = await spanOf(`events/default/${triggered.metadata.name}`, 'ScaleUp');
  expect(decision.attributes).toMatchObject({
    'kubeq.ca.decision': 'TriggeredScaleUp',
    'kubeq.ca.scale_up': triggered.message.slice('pod triggered scale-up: ['.length, -1),
    'kubeq.ca.group.general.result': 'no-fit',
    'kubeq.ca.group.ssd.result': 'option',
    'kubeq.ca.expander': 'least-waste',
  });
  expect(asked.map((m) => [m.name, m.group]).sort()).toEqual([['ssd-0', 'ssd'], ['ssd-1', 'ssd']]);

  let seen = '';
  const running = await eventually(async () => {
    const all = await podsOf('fast');
    const nodes = ((await get('/api/v1/nodes')).items as any[]).map((n) => `${n.metadata.name}:${(n.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status}:${JSON.stringify(n.spec?.taints ?? [])}`);
    seen = `pods ${JSON.stringify(all.map((p) => [p.metadata.name, p.spec.nodeName, p.status?.phase]))}; nodes ${nodes.join(' ')}`;
    const pods = all.filter((p) => p.status?.phase === 'Running');
    return pods.length === 2 ? pods : undefined;
  }, () => `two fast pods running on the new nodes; last seen ${seen}`, 30_000, 200);
  expect(running.map((p) => p.spec.nodeName).sort()).toEqual(['ssd-0', 'ssd-1']);
  const node = await get('/api/v1/nodes/ssd-0');
  expect(node.metadata.labels).toMatchObject({ disktype: 'ssd', 'kubeq.io/node-group': 'ssd', 'kubeq.io/node-pool': 'ssd', 'topology.kubernetes.io/zone': 'zone-b' });
  expect(node.spec.taints).toEqual([{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' }]);
  expect(node.status.capacity.cpu).toBe('2');
  // The node registered no earlier than the provisioning delay (60 s of cluster time, 1 s here) after it was asked for.
  const machine = asked.find((m) => m.name === 'ssd-0');
  expect(machine.readyAt - machine.requestedAt).toBe(1000);
  expect(Date.parse(node.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Math.floor(machine.readyAt / 1000) * 1000);
  // The third pod stays pending: the only group that fits it is at its max.
  const notTriggered = await eventually(async () => (await events('default', 'NotTriggerScaleUp'))[0], 'a NotTriggerScaleUp event', 20_000, 200);
  expect(notTriggered.message).toMatch(/^pod didn't trigger scale-up: .*1 max node group size reached/);
  expect(await events('default', 'TriggeredScaleUp')).toHaveLength(2);
  expect((await groupStatus('ssd')).health).toMatchObject({ cloudProviderTarget: 2, minSize: 0, maxSize: 2 });

  // Idle: both ssd nodes are empty once the Deployment goes; they go after the unneeded time (10 min → 10 s), not before.
  expect((await api.call('DELETE', '/apis/apps/v1/namespaces/default/deployments/fast')).status).toBe(200);
  const emptySince = await eventually(async () => ((await podsOf('fast')).length === 0 ? Date.now() : undefined), 'the fast pods gone', 30_000, 200);
  await eventually(async () => (!(await nodeNames()).some((n) => n.startsWith('ssd-')) ? true : undefined), 'the ssd nodes removed', 40_000, 300);
  expect(Date.now() - emptySince).toBeGreaterThanOrEqual(8_000);
  expect(await machines()).toEqual([]);
  const removals = (await events('kube-system', 'ScaleDownEmpty')).map((e) => e.message).sort();
  expect(removals).toEqual(['Scale-down: removing empty node "ssd-0"', 'Scale-down: removing empty node "ssd-1"']);
}, 120_000);

test('a PodDisruptionBudget blocks a scale-down until it allows the eviction; then the pod moves and the node goes', async () => {
  const { api } = cluster;
  // 4 pods of 600m: the general group (the ssd group's taint keeps them off it) grows by 2 nodes (3 pods fit on one).
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 4, '600m'))).status).toBe(201);
  await eventually(async () => ((await podsOf('web')).filter((p) => p.status?.phase === 'Running').length === 4 ? true : undefined), 'four web pods running', 40_000, 300);
  // The pods arrive one by one (the ReplicaSet's write rate): one scale-up or several, to 2 general nodes in all.
  const generalUps = (await events('default', 'TriggeredScaleUp')).map((e) => e.message).filter((m) => m.includes('general'));
  expect(generalUps.length).toBeGreaterThan(0);
  for (const m of generalUps) expect(m).toMatch(/^pod triggered scale-up: \[\{general [01]->[12] \(max: 5\)\}\]$/);
  expect((await machines()).map((m) => m.group)).toEqual(['general', 'general']);

  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } } };
  expect((await api.call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', pdb)).status).toBe(201);
  // The disruption controller (controller-manager) keeps its status.
  await eventually(async () => {
    const s = (await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).status;
    return s?.currentHealthy === 4 && s.desiredHealthy === 3 && s.disruptionsAllowed === 1 && s.expectedPods === 4 ? true : undefined;
  }, 'the budget status: 4 healthy, 3 desired, 1 disruption allowed', 20_000, 200);
  // 3 pods: one general node keeps 1 (utilization 0.3, its pod fits on the other), but the budget allows no disruption.
  expect((await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 3 } }, 'application/merge-patch+json')).status).toBe(200);
  const lonely = await eventually(async () => {
    const pods = await podsOf('web');
    if (pods.length !== 3 || pods.some((p) => p.status?.phase !== 'Running')) return undefined;
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    return [...perNode].find(([, n]) => n === 1)?.[0];
  }, 'three web pods, one alone on a node', 30_000, 200);
  // The eviction API says the same as the autoscaler's simulation.
  const alone = (await podsOf('web')).find((p) => p.spec.nodeName === lonely);
  const refused = await api.call('POST', `/api/v1/namespaces/default/pods/${alone.metadata.name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: alone.metadata.name, namespace: 'default' } });
  expect((await get('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).status).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 0 });
  expect(refused.status).toBe(429);
  expect(refused.body.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
  // Well past the unneeded time (and the delay after the scale-up), the node is still there and no candidate.
  await new Promise((r) => setTimeout(r, 16_000));
  expect(await nodeNames()).toContain(lonely);
  expect((await groupStatus('general')).scaleDown.status).toBe('NoCandidates');
  expect(await events('kube-system', 'ScaleDown')).toEqual([]);
  const held = await spanOf('autoscaler/RunOnce', 'ScaleDown');
  expect(held.attributes).toMatchObject({ [`kubeq.ca.node.${lonely}.unremovable`]: 'NotEnoughPdb', [`kubeq.ca.node.${lonely}.detail`]: `not enough pod disruption budget to move default/${alone.metadata.name}`, [`kubeq.ca.node.${lonely}.utilization`]: 0.3 });

  // Relaxed, the budget allows one disruption: the pod is evicted, recreated on the other node, and the node goes.
  const relaxed = await api.call('PATCH', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web', { spec: { minAvailable: 2 } }, 'application/merge-patch+json');
  expect(relaxed.status).toBe(200);
  await eventually(async () => (!(await nodeNames()).includes(lonely) ? true : undefined), `node ${lonely} removed`, 40_000, 300);
  const scaleDown = (await events('kube-system', 'ScaleDown')).map((e) => e.message);
  expect(scaleDown[0]).toMatch(new RegExp(`^Scale-down: removing node ${lonely}, utilization: \\{0\\.3 0 0 cpu 0\\.3\\}, pods to reschedule: default/${alone.metadata.name}$`));
  expect((await events('default', 'ScaleDown')).map((e) => e.message)).toContain('deleting pod for node scale down');
  await eventually(async () => {
    const pods = await podsOf('web');
    return pods.length === 3 && pods.every((p) => p.status?.phase === 'Running' && p.spec.nodeName !== lonely) ? true : undefined;
  }, 'three web pods running on the remaining node', 30_000, 300);
  expect((await machines()).map((m) => m.group)).toEqual(['general']);
}, 120_000);
