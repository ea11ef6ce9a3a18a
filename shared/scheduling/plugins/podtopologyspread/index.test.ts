import type { KubeObject } from '../../../api/types';
import { buildNodeInfos } from '../../framework/node-info';
import { ALL_NODES_KEY, LISTER_KEY, type Lister, type NodeScore } from '../../framework/plugin';
import { makeNode, makePod } from '../../testing';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering';
import { NAME, podTopologySpread } from './index';

const fooSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
const constraint = (topologyKey: string, maxSkew: number, whenUnsatisfiable: string, extra: Record<string, unknown> = {}) => ({
  topologyKey,
  maxSkew,
  whenUnsatisfiable,
  labelSelector: fooSelector,
  ...extra,
});
const incoming = (constraints: unknown[], labels: Record<string, string> = { foo: '' }) => makePod({ name: 'p', labels, spec: { topologySpreadConstraints: constraints } });
/** `n` pods matching foo on `node`. */
const matching = (node: string, n: number, namespace = 'default') =>
  Array.from({ length: n }, (_, i) => makePod({ name: `${node}-${i}`, namespace, nodeName: node, labels: { foo: '' } }));

const zoned = [makeNode('a', { labels: { zone: 'zone1' } }), makeNode('b', { labels: { zone: 'zone1' } }), makeNode('x', { labels: { zone: 'zone2' } }), makeNode('y', { labels: { zone: 'zone2' } })];
const spread = [...matching('a', 2), ...matching('b', 1), ...matching('x', 1)];

function filterAll(pod: KubeObject, nodes: KubeObject[], pods: KubeObject[]): Record<string, string> {
  const infos = buildNodeInfos(nodes, pods);
  const state = new Map<string, unknown>([[ALL_NODES_KEY, infos]]);
  podTopologySpread.preFilter!(state, pod, infos);
  return Object.fromEntries(infos.map((n) => [n.name, podTopologySpread.filter!(state, pod, n).reasons[0] ?? 'ok']));
}

describe(`${NAME} Filter`, () => {
  const NO = ERR_REASON_CONSTRAINTS_NOT_MATCH;
  const cases: { name: string; pod: KubeObject; nodes?: KubeObject[]; pods?: KubeObject[]; want: Record<string, string> }[] = [
    { name: 'no constraints: every node', pod: makePod({ name: 'p' }), want: { a: 'ok', b: 'ok', x: 'ok', y: 'ok' } },
    { name: 'ScheduleAnyway never filters', pod: incoming([constraint('zone', 1, 'ScheduleAnyway')]), want: { a: 'ok', b: 'ok', x: 'ok', y: 'ok' } },
    { name: 'zones 3/1, maxSkew 1: only the emptier zone', pod: incoming([constraint('zone', 1, 'DoNotSchedule')]), want: { a: NO, b: NO, x: 'ok', y: 'ok' } },
    { name: 'zones 3/1, maxSkew 2: the fuller zone is still too full', pod: incoming([constraint('zone', 2, 'DoNotSchedule')]), want: { a: NO, b: NO, x: 'ok', y: 'ok' } },
    { name: 'zones 3/1, maxSkew 3: anywhere', pod: incoming([constraint('zone', 3, 'DoNotSchedule')]), want: { a: 'ok', b: 'ok', x: 'ok', y: 'ok' } },
    { name: 'nodes 2/1/1/0, maxSkew 1: only the empty node', pod: incoming([constraint('kubernetes.io/hostname', 1, 'DoNotSchedule')]), want: { a: NO, b: NO, x: NO, y: 'ok' } },
    {
      name: 'a pod that does not match its own selector does not count itself',
      pod: incoming([constraint('kubernetes.io/hostname', 1, 'DoNotSchedule')], { other: '' }),
      want: { a: NO, b: 'ok', x: 'ok', y: 'ok' },
    },
    { name: 'fewer domains than minDomains: the minimum is 0', pod: incoming([constraint('zone', 1, 'DoNotSchedule', { minDomains: 3 })]), want: { a: NO, b: NO, x: NO, y: NO } },
    { name: 'pods in other namespaces do not count', pod: incoming([constraint('zone', 1, 'DoNotSchedule')]), pods: [...matching('a', 3, 'other')], want: { a: 'ok', b: 'ok', x: 'ok', y: 'ok' } },
    {
      name: 'both constraints must hold',
      pod: incoming([constraint('zone', 1, 'DoNotSchedule'), constraint('kubernetes.io/hostname', 1, 'DoNotSchedule')]),
      want: { a: NO, b: NO, x: NO, y: 'ok' },
    },
    {
      name: 'a node without the topology key is unresolvable',
      pod: incoming([constraint('zone', 1, 'DoNotSchedule')]),
      nodes: [...zoned, makeNode('bare')],
      want: { a: NO, b: NO, x: 'ok', y: 'ok', bare: ERR_REASON_NODE_LABEL_NOT_MATCH },
    },
  ];
  it.each(cases)('$name', ({ pod, nodes, pods, want }) => {
    expect(filterAll(pod, nodes ?? zoned, pods ?? spread)).toEqual(want);
  });
});

function scoreAll(pod: KubeObject, nodes: KubeObject[], pods: KubeObject[], lister?: Lister): number[] {
  const infos = buildNodeInfos(nodes, pods);
  const state = new Map<string, unknown>([[ALL_NODES_KEY, infos]]);
  if (lister) state.set(LISTER_KEY, lister);
  podTopologySpread.preScore!(state, pod, infos);
  const scores: NodeScore[] = infos.map((n) => ({ name: n.name, score: podTopologySpread.score!(state, pod, n) }));
  podTopologySpread.normalizeScore!(state, pod, scores);
  return scores.map((s) => s.score);
}

function listerOf(objects: KubeObject[]): Lister {
  const keyOf = (o: KubeObject) => `${o.kind === 'Service' ? 'services' : 'replicasets'}/${o.metadata.namespace}/${o.metadata.name}`;
  return { get: (key) => objects.find((o) => keyOf(o) === key), list: (resource) => objects.filter((o) => keyOf(o).startsWith(`${resource}/`)) };
}

describe(`${NAME} Score + NormalizeScore`, () => {
  it('zones 3/1 (weight log 4): raw round(3×1.39)=4,4,1,1 → 100×(4+1−s)/4 = 25,25,100,100', () => {
    expect(scoreAll(incoming([constraint('zone', 1, 'ScheduleAnyway')]), zoned, spread)).toEqual([25, 25, 100, 100]);
  });

  it('hostname 2/1/0 (weight log 5): raw 3,2,0 → 0,33,100', () => {
    const nodes = [makeNode('a'), makeNode('b'), makeNode('c')];
    expect(scoreAll(incoming([constraint('kubernetes.io/hostname', 1, 'ScheduleAnyway')]), nodes, [...matching('a', 2), ...matching('b', 1)])).toEqual([0, 33, 100]);
  });

  it('no matching pods anywhere: all 100', () => {
    expect(scoreAll(incoming([constraint('zone', 1, 'ScheduleAnyway')]), zoned, [])).toEqual([100, 100, 100, 100]);
  });

  it('nodes missing a key of the pod’s own constraints score 0', () => {
    expect(scoreAll(incoming([constraint('zone', 1, 'ScheduleAnyway')]), [...zoned, makeNode('bare')], spread)).toEqual([25, 25, 100, 100, 0]);
  });

  it('without constraints of its own, a pod behind a Service spreads by the system defaults', () => {
    const nodes = [makeNode('a'), makeNode('b')];
    const web = (name: string, nodeName?: string) => makePod({ name, nodeName, labels: { app: 'web' } });
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } };
    // hostname (maxSkew 3, weight log 4): a 1×1.39+2 → 3, b 0+2 → 2; zone absent on both nodes adds nothing.
    expect(scoreAll(web('new'), nodes, [web('old', 'a')], listerOf([svc]))).toEqual([66, 100]);
    // No Service, no controller: no default constraints, nothing to score.
    expect(scoreAll(web('new'), nodes, [web('old', 'a')], listerOf([]))).toEqual([0, 0]);
  });

  it('the controlling ReplicaSet’s selector also defines the default spreading group', () => {
    const nodes = [makeNode('a'), makeNode('b')];
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } };
    const owned = (name: string, nodeName?: string) => {
      const p = makePod({ name, nodeName, labels: { app: 'web' } });
      p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }];
      return p;
    };
    expect(scoreAll(owned('new'), nodes, [owned('old', 'b')], listerOf([rs]))).toEqual([100, 66]);
  });
});
