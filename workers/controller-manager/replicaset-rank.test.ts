import type { KubeObject } from '../../shared/api/types';
import { podsToDelete, POD_DELETION_COST_ANNOTATION } from './replicaset-rank';

const NOW = new Date('2026-01-01T00:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const HOUR = 3_600_000;

interface PodSpec {
  name: string;
  node?: string;
  phase?: string;
  readyFor?: number;
  restarts?: number;
  cost?: string;
  age?: number;
}

function pod(s: PodSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: s.name,
      uid: `uid-${s.name}`,
      creationTimestamp: s.age === undefined ? undefined : ago(s.age),
      annotations: s.cost === undefined ? undefined : { [POD_DELETION_COST_ANNOTATION]: s.cost },
    },
    spec: { nodeName: s.node, containers: [{ name: 'c' }] },
    status: {
      phase: s.phase ?? 'Running',
      conditions: [s.readyFor === undefined ? { type: 'Ready', status: 'False' } : { type: 'Ready', status: 'True', lastTransitionTime: ago(s.readyFor) }],
      containerStatuses: [{ name: 'c', restartCount: s.restarts ?? 0 }],
    },
  };
}

/** Each row: pods in any order, and the order getPodsToDelete deletes them in (first goes first). */
const cases: { name: string; pods: PodSpec[]; order: string[]; related?: PodSpec[] }[] = [
  { name: 'unscheduled before scheduled', pods: [{ name: 'bound', node: 'n1', phase: 'Pending' }, { name: 'free', phase: 'Pending' }], order: ['free', 'bound'] },
  {
    name: 'Pending before Unknown before Running',
    pods: [{ name: 'run', node: 'n', phase: 'Running' }, { name: 'unk', node: 'n', phase: 'Unknown' }, { name: 'pend', node: 'n', phase: 'Pending' }],
    order: ['pend', 'unk', 'run'],
  },
  { name: 'not ready before ready', pods: [{ name: 'ready', node: 'n', readyFor: HOUR }, { name: 'notready', node: 'n' }], order: ['notready', 'ready'] },
  { name: 'lower deletion cost first', pods: [{ name: 'dear', node: 'n', cost: '100' }, { name: 'cheap', node: 'n', cost: '-5' }, { name: 'zero', node: 'n', cost: 'x' }], order: ['cheap', 'zero', 'dear'] },
  {
    name: 'doubled up before alone',
    pods: [{ name: 'alone', node: 'a' }, { name: 'crowded', node: 'b' }],
    related: [{ name: 'alone', node: 'a' }, { name: 'crowded', node: 'b' }, { name: 'sibling', node: 'b' }],
    order: ['crowded', 'alone'],
  },
  { name: 'ready for less time first (log2 buckets)', pods: [{ name: 'old', node: 'n', readyFor: 10 * HOUR }, { name: 'new', node: 'n', readyFor: HOUR }], order: ['new', 'old'] },
  { name: 'same log2 bucket of ready time: by uid', pods: [{ name: 'b', node: 'n', readyFor: HOUR + 1000 }, { name: 'a', node: 'n', readyFor: HOUR }], order: ['a', 'b'] },
  { name: 'more restarts first', pods: [{ name: 'calm', node: 'n', restarts: 0 }, { name: 'crashy', node: 'n', restarts: 7 }], order: ['crashy', 'calm'] },
  { name: 'no creation time, then newer, then older', pods: [{ name: 'old', node: 'n', age: 100 * HOUR }, { name: 'none', node: 'n' }, { name: 'new', node: 'n', age: HOUR }], order: ['none', 'new', 'old'] },
];

test.each(cases)('$name', ({ pods, order, related }) => {
  const objs = pods.map(pod);
  const rel = (related ?? pods).map(pod);
  for (let n = 1; n < objs.length; n++) {
    expect(podsToDelete(objs, rel, n, NOW).map((p) => p.metadata.name)).toEqual(order.slice(0, n));
  }
});

test('deleting them all needs no ranking', () => {
  const objs = [pod({ name: 'a' }), pod({ name: 'b' })];
  expect(podsToDelete(objs, objs, 5, NOW)).toHaveLength(2);
});
