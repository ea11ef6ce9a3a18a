import { fitErrorMessage } from './fit-error';
import { success, unresolvable, unschedulable, type Status } from './status';

describe('fitErrorMessage', () => {
  const cases: { name: string; total: number; statuses: Status[]; preFilterMsg?: string; postFilterMsg?: string; want: string }[] = [
    {
      name: 'the brief example: counts per reason, sorted as strings',
      total: 3,
      statuses: [unresolvable("node(s) didn't match Pod's node affinity/selector"), unschedulable('Insufficient cpu'), unschedulable('Insufficient cpu')],
      want: "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.",
    },
    {
      name: 'a node with two reasons counts in both',
      total: 2,
      statuses: [unschedulable('Insufficient cpu', 'Insufficient memory'), unschedulable('Insufficient memory')],
      want: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    },
    {
      name: 'sorting is by string, so 10 sorts before 2 (as upstream)',
      total: 12,
      statuses: [...Array(10).fill(unschedulable('Too many pods')), ...Array(2).fill(unresolvable('node(s) were unschedulable'))],
      want: '0/12 nodes are available: 10 Too many pods, 2 node(s) were unschedulable.',
    },
    {
      name: 'a PreFilter rejection replaces the histogram',
      total: 3,
      statuses: [unresolvable('pod affinity terms conflict')],
      preFilterMsg: 'pod affinity terms conflict',
      want: '0/3 nodes are available: pod affinity terms conflict.',
    },
    { name: 'no reasons at all', total: 1, statuses: [success()], want: '0/1 nodes are available:' },
    {
      name: 'the PostFilter message follows with its own full stop',
      total: 3,
      statuses: Array(3).fill(unschedulable('Insufficient cpu')),
      postFilterMsg: 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      want: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'and follows a PreFilter rejection too',
      total: 2,
      statuses: [],
      preFilterMsg: 'pod affinity terms conflict',
      postFilterMsg: 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
      want: '0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    },
  ];
  it.each(cases)('$name', ({ total, statuses, preFilterMsg, postFilterMsg, want }) => {
    const nodeToStatus = new Map(statuses.map((s, i) => [`n${i}`, s]));
    expect(fitErrorMessage(total, { nodeToStatus, preFilterMsg, postFilterMsg })).toBe(want);
  });
});
