import { makeNode, makePod } from '../testing';
import { buildNodeInfos, NodeInfo } from './node-info';
import { DEFAULT_MEMORY_REQUEST, podRequests } from './resources';

describe('podRequests', () => {
  const cases: { name: string; spec: Record<string, unknown>; nonMissing?: boolean; want: Record<string, number> }[] = [
    { name: 'no containers', spec: { containers: [] }, want: {} },
    {
      name: 'containers add up; quantities parse',
      spec: { containers: [{ resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { resources: { requests: { cpu: '1', memory: '1G' } } }] },
      want: { cpu: 1250, memory: 64 * 1024 * 1024 + 1e9 },
    },
    {
      name: 'an init container bigger than the sum wins, per resource',
      spec: { containers: [{ resources: { requests: { cpu: '1', memory: '1Gi' } } }], initContainers: [{ resources: { requests: { cpu: '2', memory: '1Mi' } } }] },
      want: { cpu: 2000, memory: 1024 ** 3 },
    },
    {
      name: 'sidecars (restartPolicy Always) add, and run beside later init containers',
      spec: {
        containers: [{ resources: { requests: { cpu: '1' } } }],
        initContainers: [{ restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } }, { resources: { requests: { cpu: '2' } } }],
      },
      want: { cpu: 2500 },
    },
    { name: 'overhead adds', spec: { containers: [{ resources: { requests: { cpu: '1' } } }], overhead: { cpu: '100m' } }, want: { cpu: 1100 } },
    {
      name: 'nonMissing: 100m / 200Mi for unmentioned cpu / memory, explicit 0 stays 0',
      spec: { containers: [{}, { resources: { requests: { memory: '0' } } }] },
      nonMissing: true,
      want: { cpu: 200, memory: DEFAULT_MEMORY_REQUEST },
    },
  ];
  it.each(cases)('$name', ({ spec, nonMissing, want }) => {
    expect(podRequests(makePod({ spec }), { nonMissing })).toEqual(want);
  });
});

describe('NodeInfo', () => {
  it('sums requests and reads allocatable (cpu in millicores)', () => {
    const info = new NodeInfo(makeNode('n1', { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }), [
      makePod({ nodeName: 'n1', requests: [{ cpu: '1', memory: '1Gi' }] }),
      makePod({ nodeName: 'n1', requests: [{}] }),
    ]);
    expect(info.allocatable).toEqual({ cpu: 4000, memory: 8 * 1024 ** 3, pods: 110 });
    expect(info.allowedPodNumber).toBe(110);
    expect(info.requested).toEqual({ cpu: 1000, memory: 1024 ** 3 });
    expect(info.nonZeroRequested).toEqual({ cpu: 1100, memory: 1024 ** 3 + DEFAULT_MEMORY_REQUEST });
  });

  it('buildNodeInfos places bound, unfinished pods on their nodes only', () => {
    const nodes = [makeNode('a'), makeNode('b')];
    const pods = [
      makePod({ name: 'p1', nodeName: 'a' }),
      makePod({ name: 'p2', nodeName: 'a', phase: 'Succeeded' }),
      makePod({ name: 'p3', nodeName: 'b', phase: 'Failed' }),
      makePod({ name: 'p4' }),
      makePod({ name: 'p5', nodeName: 'gone' }),
    ];
    const infos = buildNodeInfos(nodes, pods);
    expect(infos.map((i) => [i.name, i.pods.map((p) => p.metadata.name)])).toEqual([
      ['a', ['p1']],
      ['b', []],
    ]);
  });
});
