import { NodeInfo } from '../../framework/node-info';
import { makeNode, makePod } from '../../testing';
import { leastAllocatedScore, NAME, nodeResourcesFit } from './index';

type Req = Record<string, string>;
const node = (alloc: Req, pods: Req[] = []) => new NodeInfo(makeNode('n', { allocatable: alloc }), pods.map((r, i) => makePod({ name: `e${i}`, nodeName: 'n', requests: [r] })));

describe(`${NAME} Filter`, () => {
  const alloc = { cpu: '10m', memory: '20', pods: '32' };
  const cases: { name: string; pod: Req[]; node: NodeInfo; code: string; reasons: string[] }[] = [
    { name: 'no requests fit anywhere with pod room', pod: [], node: node(alloc, [{ cpu: '10m', memory: '20' }]), code: 'Success', reasons: [] },
    { name: 'fits exactly', pod: [{ cpu: '5m', memory: '10' }], node: node(alloc, [{ cpu: '5m', memory: '10' }]), code: 'Success', reasons: [] },
    {
      name: 'too many resources fails (resolvable: it would fit an empty node)',
      pod: [{ cpu: '1m', memory: '1' }],
      node: node(alloc, [{ cpu: '10m', memory: '20' }]),
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    },
    { name: 'only cpu short', pod: [{ cpu: '1m', memory: '1' }], node: node(alloc, [{ cpu: '10m', memory: '5' }]), code: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { name: 'more than the node has at all is unresolvable', pod: [{ cpu: '11m' }], node: node(alloc), code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] },
    { name: 'pod count', pod: [], node: node({ ...alloc, pods: '1' }, [{}]), code: 'Unschedulable', reasons: ['Too many pods'] },
    { name: 'no pods allowed when allocatable has no pods', pod: [], node: node({ cpu: '1' }), code: 'Unschedulable', reasons: ['Too many pods'] },
    {
      name: 'pods and cpu together',
      pod: [{ cpu: '1m' }],
      node: node({ ...alloc, pods: '1' }, [{ cpu: '10m' }]),
      code: 'Unschedulable',
      reasons: ['Too many pods', 'Insufficient cpu'],
    },
    { name: 'extended resources are checked', pod: [{ 'example.com/gpu': '2' }], node: node({ ...alloc, 'example.com/gpu': '1' }), code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient example.com/gpu'] },
    { name: 'ephemeral-storage', pod: [{ 'ephemeral-storage': '10' }], node: node({ ...alloc, 'ephemeral-storage': '15' }, [{ 'ephemeral-storage': '10' }]), code: 'Unschedulable', reasons: ['Insufficient ephemeral-storage'] },
  ];
  it.each(cases)('$name', ({ pod, node, code, reasons }) => {
    const status = nodeResourcesFit.filter!(new Map(), makePod({ requests: pod }), node);
    expect({ code: status.code, reasons: status.reasons }).toEqual({ code, reasons });
  });
});

// Kubernetes' TestLeastAllocatedScoringStrategy (least_allocated_test.go), same numbers.
describe(`${NAME} Score (LeastAllocated)`, () => {
  const cases: { name: string; pod: Req[]; nodes: Req[]; existing: Req[][]; want: number[] }[] = [
    { name: 'nothing scheduled, nothing requested', pod: [], nodes: [{ cpu: '4000', memory: '10000' }, { cpu: '4000', memory: '10000' }], existing: [[], []], want: [100, 100] },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }],
      nodes: [{ cpu: '4000', memory: '10000' }, { cpu: '6000', memory: '10000' }],
      existing: [[], []],
      want: [37, 50],
    },
    {
      name: 'no resources requested, pods scheduled with resources',
      pod: [],
      nodes: [{ cpu: '10000', memory: '20000' }, { cpu: '10000', memory: '20000' }],
      existing: [
        [{ cpu: '3000', memory: '0' }, { cpu: '3000', memory: '0' }],
        [{ cpu: '3000', memory: '0' }, { cpu: '3000', memory: '5000' }],
      ],
      want: [70, 57],
    },
    {
      name: 'resources requested, pods scheduled with resources, differently sized nodes',
      pod: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }],
      nodes: [{ cpu: '10000', memory: '20000' }, { cpu: '10000', memory: '50000' }],
      existing: [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '5000' }]],
      want: [57, 60],
    },
    {
      name: 'requested resources exceed node capacity',
      pod: [{ cpu: '3000', memory: '0' }],
      nodes: [{ cpu: '4000', memory: '10000' }, { cpu: '4000', memory: '10000' }],
      existing: [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '5000' }]],
      want: [50, 25],
    },
    { name: 'zero node resources, pods scheduled with resources', pod: [], nodes: [{}, {}], existing: [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '5000' }]], want: [0, 0] },
    {
      name: 'a container without requests counts as 100m / 200Mi',
      pod: [{}],
      nodes: [{ cpu: '1', memory: '400Mi' }],
      existing: [[]],
      want: [70], // cpu (1000-100)/1000 → 90, memory (400-200)/400 → 50
    },
  ];
  it.each(cases)('$name', ({ pod, nodes, existing, want }) => {
    const p = makePod({ requests: pod });
    const scores = nodes.map((alloc, i) => leastAllocatedScore(p, node(alloc, existing[i])));
    expect(scores).toEqual(want);
  });

  it('honours resource weights (memory 2, cpu 1)', () => {
    const p = makePod({ requests: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }] });
    const resources = [
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ];
    expect([leastAllocatedScore(p, node({ cpu: '4000', memory: '10000' }), resources), leastAllocatedScore(p, node({ cpu: '6000', memory: '10000' }), resources)]).toEqual([41, 50]);
  });
});
