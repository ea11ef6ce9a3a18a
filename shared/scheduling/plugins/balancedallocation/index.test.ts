import { NodeInfo } from '../../framework/node-info';
import { makeNode, makePod } from '../../testing';
import { balancedAllocationScore, balancedResourceScore, NAME } from './index';

type Req = Record<string, string>;
const node = (alloc: Req, pods: Req[] = []) => new NodeInfo(makeNode('n', { allocatable: alloc }), pods.map((r, i) => makePod({ name: `e${i}`, nodeName: 'n', requests: [r] })));

// Kubernetes' TestNodeResourcesBalancedAllocation cases (balanced_allocation_test.go), same numbers.
describe(`${NAME} Score`, () => {
  const cases: { name: string; pod: Req[]; nodes: Req[]; existing: Req[][]; want: number[] }[] = [
    {
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }],
      nodes: [{ cpu: '4000', memory: '10000' }, { cpu: '6000', memory: '10000' }],
      existing: [[], []],
      want: [87, 100], // node1: |0.75 − 0.5| / 2 = 0.125 → 87
    },
    {
      name: 'resources requested, pods scheduled with resources',
      pod: [{ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' }],
      nodes: [{ cpu: '10000', memory: '20000' }, { cpu: '10000', memory: '20000' }],
      existing: [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '5000' }]],
      want: [82, 95], // node1: 0.6 vs 0.25 → 82; node2: 0.6 vs 0.5 → 95
    },
    {
      name: 'requested resources exceed node capacity: fractions cap at 1',
      pod: [{ cpu: '3000', memory: '0' }],
      nodes: [{ cpu: '4000', memory: '10000' }, { cpu: '4000', memory: '10000' }],
      existing: [[{ cpu: '3000', memory: '0' }], [{ cpu: '3000', memory: '5000' }]],
      want: [50, 75],
    },
    { name: 'zero node resources', pod: [{ cpu: '1' }], nodes: [{}], existing: [[]], want: [100] },
    { name: 'a BestEffort pod scores 0 (upstream skips the plugin)', pod: [{}], nodes: [{ cpu: '4', memory: '4Gi' }], existing: [[]], want: [0] },
    { name: 'requests count as written, no 100m/200Mi defaults', pod: [{ cpu: '2' }], nodes: [{ cpu: '4', memory: '4Gi' }], existing: [[]], want: [75] },
  ];
  it.each(cases)('$name', ({ pod, nodes, existing, want }) => {
    const p = makePod({ requests: pod });
    expect(nodes.map((alloc, i) => balancedAllocationScore(p, node(alloc, existing[i])))).toEqual(want);
  });

  it('uses the standard deviation for more than two resources', () => {
    // fractions 0.2, 0.5, 0.8: mean 0.5, std = sqrt(0.06) ≈ 0.2449 → 75
    expect(balancedResourceScore([2, 5, 8], [10, 10, 10])).toBe(75);
    expect(balancedResourceScore([5], [10])).toBe(100);
  });
});
