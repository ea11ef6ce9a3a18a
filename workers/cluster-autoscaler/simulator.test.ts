import { buildNodeInfos, NodeInfo } from '../../shared/scheduling/framework/node-info';
import { DEFAULT_PROFILE } from '../../shared/scheduling/profile';
import { makePod } from '../../shared/scheduling/testing';
import { estimate, filterOutSchedulable, fitsTemplate, templateNode } from './simulator';
import { group, readyNode } from './testing';

const sim = { profile: DEFAULT_PROFILE };
const pod = (name: string, cpu: string, spec: Record<string, unknown> = {}) => makePod({ name, requests: [{ cpu }], spec });

test('a template node carries the group shape, labels, zone and taints', () => {
  const ssd = group('ssd', { cpu: '8', labels: { disktype: 'ssd' }, taints: [{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' }] });
  ssd.shape.zone = 'zone-b';
  const node = templateNode(ssd);
  expect(node.metadata.name).toBe('template-node-for-ssd');
  expect(node.metadata.labels).toMatchObject({ disktype: 'ssd', 'kubeq.io/node-group': 'ssd', 'kubeq.io/node-pool': 'ssd', 'topology.kubernetes.io/zone': 'zone-b' });
  expect(node.spec.taints).toEqual([{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' }]);
  expect(node.status.allocatable).toMatchObject({ cpu: '8', memory: '4Gi', pods: '110' });
});

test.each([
  ['fits', pod('p', '1'), group('g'), []],
  ['too big', pod('p', '3'), group('g'), ['Insufficient cpu']],
  ['selector', pod('p', '1', { nodeSelector: { disktype: 'ssd' } }), group('g'), ["node(s) didn't match Pod's node affinity/selector"]],
  ['taint', pod('p', '1'), group('g', { taints: [{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' }] }), ['node(s) had untolerated taint {dedicated: ssd}']],
])("the scheduler's filters on a template node: %s", (_what, p, g, reasons) => {
  expect(fitsTemplate(p, g, [], sim).reasons).toEqual(reasons);
});

test('binpacking: pods fill each new node before the next, up to the limit', () => {
  const pods = ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n, '600m'));
  expect(estimate(pods, group('g'), 5, [], sim)).toMatchObject({ nodeCount: 2, leftOver: [] });
  const capped = estimate(pods, group('g'), 1, [], sim);
  expect(capped.nodeCount).toBe(1);
  expect(capped.pods.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
  expect(capped.leftOver.map((p) => p.metadata.name)).toEqual(['d', 'e']);
});

test('pods that fit existing or upcoming capacity need no scale-up, each counted where it lands', () => {
  const nodes = buildNodeInfos([readyNode('n1', '1')], []);
  const upcoming = new NodeInfo(templateNode(group('g'), 'g-0'));
  const pods = ['a', 'b', 'c', 'd'].map((n) => pod(n, '800m'));
  const { unschedulable, placed } = filterOutSchedulable(pods, [...nodes, upcoming], sim);
  expect([...placed.entries()].map(([p, n]) => [p.metadata.name, n])).toEqual([['a', 'n1'], ['b', 'g-0'], ['c', 'g-0']]);
  expect(unschedulable.map((p) => p.metadata.name)).toEqual(['d']);
});
