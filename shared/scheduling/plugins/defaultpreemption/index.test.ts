import type { KubeObject } from '../../../api/types';
import { runCycle } from '../../framework/cycle';
import { buildNodeInfos } from '../../framework/node-info';
import type { Plugin } from '../../framework/plugin';
import { seededRandom } from '../../framework/random';
import { unresolvable } from '../../framework/status';
import { DEFAULT_PROFILE } from '../../profile';
import { makeNode, makePod } from '../../testing';
import { defaultPreemption } from '.';

const node = (name: string, o: Parameters<typeof makeNode>[1] = {}) => makeNode(name, { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, ...o });
/** A pod bound to `nodeName` asking for `cpu`, at `priority` (unset when undefined). */
const running = (name: string, nodeName: string, cpu: string, priority?: number) =>
  makePod({ name, nodeName, requests: [{ cpu }], spec: priority === undefined ? {} : { priority } });
const incoming = (cpu: string, spec: Record<string, unknown> = {}) => makePod({ name: 'incoming', requests: [{ cpu }], spec });

describe('DefaultPreemption (explains, never evicts): the FitError as Kubernetes words it', () => {
  const cases: { name: string; nodes: KubeObject[]; pods: KubeObject[]; pod: KubeObject; want: string }[] = [
    {
      name: 'full nodes, nothing of lower priority',
      nodes: [node('a'), node('b'), node('c')],
      pods: [running('x', 'a', '1500m'), running('y', 'b', '1500m'), running('z', 'c', '1500m')],
      pod: incoming('1'),
      want: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'a pod larger than any node: evicting cannot help',
      nodes: [node('a'), node('b'), node('c')],
      pods: [],
      pod: incoming('3'),
      want: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    },
    {
      name: 'a cordoned node is not helpful, a full one has no victims',
      nodes: [node('a'), node('cordoned', { unschedulable: true })],
      pods: [running('x', 'a', '1500m')],
      pod: incoming('1'),
      want: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    },
    {
      name: 'preemptionPolicy Never',
      nodes: [node('a')],
      pods: [running('x', 'a', '1500m', -5)],
      pod: incoming('1', { preemptionPolicy: 'Never' }),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'lower-priority pods that would make room: upstream preempts, so no preemption part',
      nodes: [node('a')],
      pods: [running('low', 'a', '1500m', 10)],
      pod: incoming('1', { priority: 1000 }),
      want: '0/1 nodes are available: 1 Insufficient cpu.',
    },
    {
      name: 'lower-priority pods too small to make room: the rejection without them',
      nodes: [node('a')],
      pods: [running('low', 'a', '200m', 10), running('high', 'a', '1500m', 2000)],
      pod: incoming('1', { priority: 1000 }),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    },
  ];
  it.each(cases)('$name', ({ nodes, pods, pod, want }) => {
    const result = runCycle(pod, buildNodeInfos(nodes, pods), DEFAULT_PROFILE, seededRandom(1));
    expect(result).toMatchObject({ kind: 'unschedulable', message: want });
  });

  it('follows a PreFilter rejection, and its verdict is traced', () => {
    const gate: Plugin = { name: 'Gate', preFilter: () => unresolvable('pod has unbound immediate PersistentVolumeClaims') };
    const profile = [
      { plugin: gate, weight: 0 },
      { plugin: defaultPreemption, weight: 0 },
    ];
    const result = runCycle(incoming('1'), buildNodeInfos([node('a'), node('b')], []), profile, seededRandom(1));
    expect(result).toMatchObject({
      kind: 'unschedulable',
      message: '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    });
    expect(result.plugins[1].postFilter).toMatchObject({ code: 'Unschedulable', plugin: 'DefaultPreemption' });
  });

  it('adds nothing when the profile has no PostFilter', () => {
    const profile = DEFAULT_PROFILE.filter((p) => p.plugin !== defaultPreemption);
    const result = runCycle(incoming('3'), buildNodeInfos([node('a')], []), profile, seededRandom(1));
    expect(result).toMatchObject({ kind: 'unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' });
  });
});
