import type { KubeObject } from '../../api/types';
import { DEFAULT_PROFILE } from '../profile';
import { makeNode, makePod } from '../testing';
import { runCycle, selectHost } from './cycle';
import { buildNodeInfos, type NodeInfo } from './node-info';
import type { Plugin, ProfilePlugin } from './plugin';
import { seededRandom } from './random';
import { errorStatus, success, unresolvable, unschedulable } from './status';

const pod = makePod();

/** A plugin rejecting the nodes named in `reject` with `reason`, scoring each node from `scores`. */
function fake(name: string, opts: { reject?: Record<string, string>; scores?: Record<string, number>; normalize?: boolean }): Plugin {
  return {
    name,
    filter: opts.reject ? (_s, _p, n) => (opts.reject![n.name] ? unschedulable(opts.reject![n.name]) : success()) : undefined,
    score: opts.scores ? (_s, _p, n) => opts.scores![n.name] ?? 0 : undefined,
    normalizeScore: opts.normalize
      ? (_s, _p, scores) => {
          for (const s of scores) s.score = s.score / 10;
          return success();
        }
      : undefined,
  };
}

function infos(...names: string[]): NodeInfo[] {
  return buildNodeInfos(
    names.map((n) => makeNode(n)),
    [],
  );
}

describe('runCycle', () => {
  it('picks the highest weighted sum and records every step', () => {
    const profile: ProfilePlugin[] = [
      { plugin: fake('A', { reject: { n3: 'nope' }, scores: { n1: 10, n2: 50 } }), weight: 1 },
      { plugin: fake('B', { scores: { n1: 900, n2: 100 }, normalize: true }), weight: 2 },
    ];
    const result = runCycle(pod, infos('n1', 'n2', 'n3'), profile, seededRandom(1));
    expect(result.kind).toBe('scheduled');
    if (result.kind !== 'scheduled') return;
    expect(result.nodeName).toBe('n1'); // 10 + 2×90 = 190 against 50 + 2×10 = 70
    expect(result.feasible).toEqual(['n1', 'n2']);
    expect(result.totals).toEqual([
      { name: 'n1', score: 190 },
      { name: 'n2', score: 70 },
    ]);
    expect(result.plugins[0].filter.get('n3')).toMatchObject({ code: 'Unschedulable', reasons: ['nope'], plugin: 'A' });
    expect(result.plugins[1].raw).toEqual([
      { name: 'n1', score: 900 },
      { name: 'n2', score: 100 },
    ]);
    expect(result.plugins[1].weighted).toEqual([
      { name: 'n1', score: 180 },
      { name: 'n2', score: 20 },
    ]);
  });

  it('stops filtering a node at its first rejection', () => {
    const profile: ProfilePlugin[] = [
      { plugin: fake('A', { reject: { n1: 'first' } }), weight: 1 },
      { plugin: fake('B', { reject: { n1: 'second' } }), weight: 1 },
    ];
    const result = runCycle(pod, infos('n1'), profile, seededRandom(1));
    expect(result).toMatchObject({ kind: 'unschedulable', message: '0/1 nodes are available: 1 first.' });
    expect(result.plugins[1].filter.has('n1')).toBe(false);
  });

  it('with one feasible node, skips scoring', () => {
    const profile: ProfilePlugin[] = [{ plugin: fake('A', { reject: { n1: 'x' }, scores: { n2: 1000 } }), weight: 1 }];
    const result = runCycle(pod, infos('n1', 'n2'), profile, seededRandom(1));
    expect(result).toMatchObject({ kind: 'scheduled', nodeName: 'n2', totals: [] });
  });

  it('no nodes: upstream ErrNoNodesAvailable', () => {
    expect(runCycle(pod, [], [], seededRandom(1))).toMatchObject({ kind: 'unschedulable', message: 'no nodes available to schedule pods' });
  });

  it('a PreFilter rejection makes every node unfit with its message', () => {
    const plugin: Plugin = { name: 'P', preFilter: () => unresolvable('pod affinity terms conflict') };
    const result = runCycle(pod, infos('a', 'b'), [{ plugin, weight: 1 }], seededRandom(1));
    expect(result).toMatchObject({ kind: 'unschedulable', message: '0/2 nodes are available: pod affinity terms conflict.' });
  });

  const errorCases: { name: string; plugin: Plugin; want: string }[] = [
    { name: 'filter Error', plugin: { name: 'E', filter: () => errorStatus('boom') }, want: 'boom' },
    {
      name: 'filter throws',
      plugin: {
        name: 'E',
        filter: () => {
          throw new Error('thrown');
        },
      },
      want: 'thrown',
    },
    { name: 'score out of range without NormalizeScore', plugin: { name: 'E', score: () => 101 }, want: 'plugin "E" returns an invalid score 101' },
    { name: 'score NaN', plugin: { name: 'E', score: () => NaN }, want: 'score is not a number' },
  ];
  it.each(errorCases)('Error: $name', ({ plugin, want }) => {
    const result = runCycle(pod, infos('a', 'b'), [{ plugin, weight: 1 }], seededRandom(1));
    expect(result.kind).toBe('error');
    if (result.kind === 'error') {
      expect(result.status.plugin).toBe('E');
      expect(result.status.reasons[0]).toContain(want);
    }
  });
});

describe('selectHost', () => {
  it('breaks ties with the random source, fairly and repeatably', () => {
    const scores = [
      { name: 'a', score: 5 },
      { name: 'b', score: 9 },
      { name: 'c', score: 9 },
      { name: 'd', score: 9 },
    ];
    const counts: Record<string, number> = {};
    const random = seededRandom(123);
    for (let i = 0; i < 3000; i++) {
      const host = selectHost(scores, random);
      counts[host] = (counts[host] ?? 0) + 1;
    }
    expect(counts.a).toBeUndefined();
    for (const n of ['b', 'c', 'd']) expect(counts[n]).toBeGreaterThan(850);
    expect(selectHost(scores, seededRandom(5))).toBe(selectHost(scores, seededRandom(5)));
  });
});

describe('the default profile end to end', () => {
  const node = (name: string, extra: Parameters<typeof makeNode>[1] = {}): KubeObject =>
    makeNode(name, { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, ...extra });

  it('explains why no node fits, as Kubernetes words it', () => {
    const nodes = [node('a', { labels: { disk: 'hdd' } }), node('b', { labels: { disk: 'ssd' } }), node('c', { labels: { disk: 'ssd' } })];
    const busy = [makePod({ name: 'x', nodeName: 'b', requests: [{ cpu: '1500m' }] }), makePod({ name: 'y', nodeName: 'c', requests: [{ cpu: '1500m' }] })];
    const p = makePod({ requests: [{ cpu: '1' }], spec: { nodeSelector: { disk: 'ssd' } } });
    const result = runCycle(p, buildNodeInfos(nodes, busy), DEFAULT_PROFILE, seededRandom(1));
    expect(result).toMatchObject({
      kind: 'unschedulable',
      message:
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    });
  });

  it('prefers the emptier node, and untainted over PreferNoSchedule', () => {
    const nodes = [node('busy'), node('free'), node('tainted', { taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] })];
    const busy = [makePod({ name: 'x', nodeName: 'busy', requests: [{ cpu: '1', memory: '2Gi' }] })];
    const p = makePod({ requests: [{ cpu: '100m', memory: '128Mi' }] });
    const result = runCycle(p, buildNodeInfos(nodes, busy), DEFAULT_PROFILE, seededRandom(1));
    expect(result).toMatchObject({ kind: 'scheduled', nodeName: 'free' });
  });
});
