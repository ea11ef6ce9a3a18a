import type { KubeObject } from '../../shared/api/types';
import { pdbStatus } from '../../shared/policy/disruption';
import { buildNodeInfos } from '../../shared/scheduling/framework/node-info';
import { DEFAULT_PROFILE } from '../../shared/scheduling/profile';
import { findUnneeded, formatUtilization, utilization, type ScaleDownInput } from './scaledown';
import { readyNode, replicaPod } from './testing';

const sim = { profile: DEFAULT_PROFILE };

function input(nodes: KubeObject[], pods: KubeObject[], extra: Partial<ScaleDownInput> = {}): ScaleDownInput {
  const groups = new Map(nodes.filter((n) => n.metadata.name !== 'static').map((n) => [n.metadata.name, 'pool']));
  return { nodes: buildNodeInfos(nodes, pods), groupOf: (n) => groups.get(n), removableCount: new Map([['pool', 5]]), threshold: 0.5, pdbs: [], sim, ...extra };
}

test('utilization: the larger of cpu and memory requests over allocatable, printed as upstream prints it', () => {
  const [info] = buildNodeInfos([readyNode('n', '2')], [replicaPod('a', '500m', { nodeName: 'n' }), { ...replicaPod('b', '100m', { nodeName: 'n' }), spec: { nodeName: 'n', containers: [{ name: 'c', resources: { requests: { cpu: '100m', memory: '2Gi' } } }] } }]);
  const u = utilization(info);
  expect(u).toEqual({ cpu: 0.3, memory: 0.5, resourceName: 'memory', utilization: 0.5 });
  expect(formatUtilization(u)).toBe('{0.3 0.5 0 memory 0.5}');
});

test('an underutilized node whose pods fit elsewhere is unneeded, with where each pod would go', () => {
  const nodes = [readyNode('a'), readyNode('b')];
  const pods = [replicaPod('p1', '600m', { nodeName: 'a' }), replicaPod('p2', '1200m', { nodeName: 'b' })];
  const out = findUnneeded(input(nodes, pods));
  expect(out.unneeded.map((u) => [u.node, u.utilization.utilization, u.pods.map((p) => `${p.pod.metadata.name}->${p.destination}`)])).toEqual([['a', 0.3, ['p1->b']]]);
  expect(out.unremovable).toEqual([{ node: 'b', reason: 'NotUnderutilized', utilization: 0.6 }]);
});

test('two light nodes: the first goes, the second must then take its pods and stays', () => {
  const nodes = [readyNode('a'), readyNode('b')];
  const pods = [replicaPod('p1', '400m', { nodeName: 'a' }), replicaPod('p2', '800m', { nodeName: 'b' })];
  const out = findUnneeded(input(nodes, pods));
  expect(out.unneeded.map((u) => u.node)).toEqual(['a']);
  expect(out.unremovable.map((r) => [r.node, r.reason])).toEqual([['b', 'NoPlaceToMovePods']]);
});

test.each([
  ['a pod without a controller', [replicaPod('bare', '100m', { nodeName: 'a', bare: true })], {}, 'NotReplicated'],
  ['no room elsewhere', [replicaPod('p1', '900m', { nodeName: 'a' }), replicaPod('p2', '1500m', { nodeName: 'b' })], {}, 'NoPlaceToMovePods'],
  ['the group at its minimum', [replicaPod('p1', '100m', { nodeName: 'a' })], { removableCount: new Map([['pool', 0]]) }, 'NodeGroupMinSizeReached'],
])('stays: %s', (_what, pods, extra, reason) => {
  const out = findUnneeded(input([readyNode('a'), readyNode('b', '2')], pods, extra));
  expect(out.unremovable.find((r) => r.node === 'a')?.reason).toBe(reason);
});

test('a PodDisruptionBudget with no disruption left keeps the node; one disruption lets one node go', () => {
  const nodes = [readyNode('a'), readyNode('b'), readyNode('c')];
  const pods = [replicaPod('p1', '200m', { nodeName: 'a', labels: { app: 'web' } }), replicaPod('p2', '200m', { nodeName: 'b', labels: { app: 'web' } }), replicaPod('p3', '1200m', { nodeName: 'c', labels: { app: 'web' } })];
  const pdb = (minAvailable: number): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable, selector: { matchLabels: { app: 'web' } } } });
  const withPdb = (minAvailable: number) => [{ pdb: pdb(minAvailable), status: pdbStatus(pdb(minAvailable), pods, () => undefined, new Date()) }];
  const blocked = findUnneeded(input(nodes, pods, { pdbs: withPdb(3) }));
  expect(blocked.unneeded).toEqual([]);
  expect(blocked.unremovable.filter((r) => r.reason === 'NotEnoughPdb').map((r) => [r.node, r.detail])).toEqual([
    ['a', 'not enough pod disruption budget to move default/p1'],
    ['b', 'not enough pod disruption budget to move default/p2'],
  ]);
  const one = findUnneeded(input(nodes, pods, { pdbs: withPdb(2) }));
  expect(one.unneeded.map((u) => u.node)).toEqual(['a']);
  expect(one.unremovable.find((r) => r.node === 'b')?.reason).toBe('NotEnoughPdb');
});

test('nodes outside the groups, tainted for deletion, or not Ready are left alone', () => {
  const deleting = readyNode('a');
  deleting.spec.taints = [{ key: 'ToBeDeletedByClusterAutoscaler', value: '1', effect: 'NoSchedule' }];
  const unready = readyNode('b');
  unready.status.conditions = [{ type: 'Ready', status: 'Unknown' }];
  const out = findUnneeded(input([deleting, unready, readyNode('static')], []));
  expect(out.unneeded).toEqual([]);
  expect(out.unremovable.map((r) => [r.node, r.reason])).toEqual([['a', 'BeingDeleted'], ['b', 'NotReady']]);
});
